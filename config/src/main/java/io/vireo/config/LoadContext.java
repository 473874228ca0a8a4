package io.vireo.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.exceptions.Mark;

/**
 * The state of one load: the problems found so far and every section visited, so unknown keys can
 * be reported once all known keys are known (a key misplaced in another section gets pointed
 * there).
 */
final class LoadContext {
  private final List<ConfigProblem> problems = new ArrayList<>();
  private final List<YamlSection> sections = new ArrayList<>();

  void report(String key, Optional<Mark> mark, String message) {
    int line = mark.map(m -> m.getLine() + 1).orElse(0);
    int column = mark.map(m -> m.getColumn() + 1).orElse(0);
    problems.add(new ConfigProblem(key, line, column, message));
  }

  void register(YamlSection section) {
    sections.add(section);
  }

  boolean hasProblems() {
    return !problems.isEmpty();
  }

  /** Problems in file order; positionless ones first. */
  List<ConfigProblem> problems() {
    return problems.stream()
        .sorted(
            Comparator.comparingInt(ConfigProblem::line).thenComparingInt(ConfigProblem::column))
        .toList();
  }

  /** Reports every key no section asked for. Call after the whole tree has been read. */
  void reportUnknownKeys() {
    Map<String, String> pathByLeaf = new HashMap<>();
    for (YamlSection section : sections) {
      if (!section.inList()) {
        for (String key : section.knownKeys()) {
          pathByLeaf.putIfAbsent(key, section.childPath(key));
        }
      }
    }
    for (YamlSection section : sections) {
      section.reportUnknownKeys(pathByLeaf);
    }
  }
}
