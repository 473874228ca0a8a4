package io.vireo.relay.app;

import io.vireo.config.ConfigException;
import io.vireo.config.ConfigLoader;
import io.vireo.config.VireoConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The shared {@code --config FILE} option; without it, config/vireo.yaml if present, else the defaults. */
final class ConfigOption {
  static final Path DEFAULT_FILE = Path.of("config", "vireo.yaml");

  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description = "Configuration file (default: config/vireo.yaml, else built-in defaults).")
  Path file;

  VireoConfig load() throws ConfigException {
    if (file != null) {
      return ConfigLoader.load(file);
    }
    return Files.isRegularFile(DEFAULT_FILE) ? ConfigLoader.load(DEFAULT_FILE) : ConfigLoader.defaults();
  }
}
