package io.vireo.relay.app;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Finds a command-line tool that an interop test drives (swaks, python3). In CI (CI=true) the tool is
 * installed by .ci/run, so a missing tool fails the test; elsewhere it is skipped with a hint.
 */
final class ExternalTool {
  private static final List<String> DIRS = List.of("/usr/bin", "/usr/local/bin", "/usr/sbin", "/bin");

  private ExternalTool() {}

  static Path require(String name, String debianPackage) {
    Optional<Path> found = find(name);
    if (found.isEmpty()) {
      String hint = name + " not found; install it with: apt-get install " + debianPackage;
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail(hint);
      }
      assumeTrue(false, hint);
    }
    return found.get();
  }

  private static Optional<Path> find(String name) {
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
