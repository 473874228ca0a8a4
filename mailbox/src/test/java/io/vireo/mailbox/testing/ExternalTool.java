package io.vireo.mailbox.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Finds a command-line tool that an interop test drives (swaks, python3, postfix). In CI (CI=true)
 * the tool is installed by .ci/run, so a missing tool fails the test; elsewhere it is skipped with
 * a hint.
 */
public final class ExternalTool {
  private static final List<String> DIRS =
      List.of("/usr/bin", "/usr/local/bin", "/usr/sbin", "/bin");

  private ExternalTool() {}

  /** The tool's path; fails (CI) or skips (elsewhere) the calling test when it is not installed. */
  public static Path require(String name, String debianPackage) {
    Optional<Path> found = find(name);
    requireThat(
        found.isPresent(), name + " not found; install it with: apt-get install " + debianPackage);
    return found.orElseThrow();
  }

  /**
   * Fails (CI) or skips (elsewhere) the calling test when an interop precondition does not hold: CI
   * is set up to meet them all, so there a missing one is a broken build, not a reason to skip.
   */
  public static void requireThat(boolean met, String hint) {
    if (met) {
      return;
    }
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail(hint);
    }
    assumeTrue(false, hint);
  }

  /** The tool on the PATH or in the usual system directories, if it is installed. */
  public static Optional<Path> find(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : (path + ":" + String.join(":", DIRS)).split(":")) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
