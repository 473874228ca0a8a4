package io.vireo.relay.app;

import io.vireo.config.ConfigException;
import io.vireo.config.VireoConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Where a queue command gets the queue: the running relay's admin API (found from {@code
 * listen.admin} and {@code admin.token-file}), or with {@code --spool DIR}, or when no relay
 * answers, the spool itself, read-only.
 */
final class QueueSource {
  @Mixin ConfigOption config;

  @Option(
      names = "--spool",
      paramLabel = "DIR",
      description = "Read this spool directly (read-only) instead of asking the running relay.")
  Path spoolDir;

  /** The relay to ask, or empty when {@code --spool} says to read the spool directly. */
  Optional<AdminApiClient> relay() throws ConfigException, IOException {
    if (spoolDir != null) {
      return Optional.empty();
    }
    return Optional.of(AdminApiClient.forConfig(config.load()));
  }

  /** The spool directory: {@code --spool}, else {@code spool.dir} of the configuration. */
  Path spool() throws ConfigException {
    if (spoolDir != null) {
      return spoolDir;
    }
    VireoConfig loaded = config.load();
    return loaded.spool().dir();
  }
}
