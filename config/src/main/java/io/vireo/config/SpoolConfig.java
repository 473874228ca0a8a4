package io.vireo.config;

import java.nio.file.Path;
import java.util.Objects;

/** {@code spool}: where the journals live and how durable an accepted message is before the 250. */
public record SpoolConfig(Path dir, SyncPolicy sync) {
  public SpoolConfig {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(sync, "sync");
  }
}
