package io.vireo.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * {@code spool}: where the journals live, how durable an accepted message is before the 250, and
 * the free space kept on the spool's file system.
 *
 * @param minFreeSpace bytes that must stay free: below that, new messages get a 452 and the relay
 *     reports itself not ready
 */
public record SpoolConfig(Path dir, SyncPolicy sync, long minFreeSpace) {
  /** 64 MiB, as the spool's own default. */
  public static final long DEFAULT_MIN_FREE_SPACE = 64L << 20;

  public SpoolConfig {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(sync, "sync");
    if (minFreeSpace < 0) {
      throw new IllegalArgumentException("min-free-space must not be negative: " + minFreeSpace);
    }
  }

  public SpoolConfig(Path dir, SyncPolicy sync) {
    this(dir, sync, DEFAULT_MIN_FREE_SPACE);
  }
}
