package io.vireo.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration file that could not be turned into a {@link VireoConfig}, with every problem
 * found (not just the first), so an operator can fix them in one pass.
 */
public final class ConfigException extends Exception {
  private final String sourceName;
  private final List<ConfigProblem> problems;

  public ConfigException(String sourceName, List<ConfigProblem> problems) {
    super(sourceName);
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one problem");
    }
    this.sourceName = sourceName;
    this.problems = List.copyOf(problems);
  }

  /** The file name (or other label) the problems' line numbers refer to. */
  public String sourceName() {
    return sourceName;
  }

  /** The problems in file order. */
  public List<ConfigProblem> problems() {
    return problems;
  }

  /** One line per problem, each {@code source:line:column: key: message}. */
  @Override
  public String getMessage() {
    return problems.stream().map(p -> p.format(sourceName)).collect(Collectors.joining("\n"));
  }
}
