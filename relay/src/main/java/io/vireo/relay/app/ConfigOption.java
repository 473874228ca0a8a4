package io.vireo.relay.app;

import io.vireo.config.ConfigException;
import io.vireo.config.ConfigLoader;
import io.vireo.config.VireoConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The shared {@code --config FILE} option. Without it: the file named by {@code VIREO_CONFIG}
 * (which bin/vireo sets to the installation's config/vireo.yaml, so the default does not depend on
 * the working directory), else config/vireo.yaml if present, else the defaults.
 */
final class ConfigOption {
  static final Path DEFAULT_FILE = Path.of("config", "vireo.yaml");
  static final String FILE_VARIABLE = "VIREO_CONFIG";

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description =
          "Configuration file (default: $VIREO_CONFIG, which bin/vireo sets to the installation's"
              + " config/vireo.yaml; else config/vireo.yaml, else built-in defaults).")
  Path file;

  VireoConfig load() throws ConfigException {
    return load(System.getenv());
  }

  VireoConfig load(Map<String, String> environment) throws ConfigException {
    Optional<Path> chosen = file(environment);
    return chosen.isPresent() ? ConfigLoader.load(chosen.get()) : ConfigLoader.defaults();
  }

  /** The file {@link #load()} reads, or empty when it falls back to the built-in defaults. */
  Optional<Path> file() {
    return file(System.getenv());
  }

  Optional<Path> file(Map<String, String> environment) {
    if (file != null) {
      return Optional.of(file);
    }
    String named = environment.get(FILE_VARIABLE);
    if (named != null && !named.isBlank()) {
      return Optional.of(Path.of(named));
    }
    return Files.isRegularFile(DEFAULT_FILE) ? Optional.of(DEFAULT_FILE) : Optional.empty();
  }
}
