package io.vireo.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * {@code spool}: where the journals live, how durable an accepted message is before the 250, and
 * the free space kept on the spool's file system.
 *
 * @param minFreeSpace bytes that must stay free: below that, new messages get a 452 and the relay
 *     reports itself not ready
 * @param rollCycle how much time one journal file covers (the granularity of disk reclamation); one
 *     of {@link #ROLL_CYCLES}; a spool keeps the cycle it was created with
 * @param contentCache bytes of just-accepted content kept in memory until delivered, so delivery
 *     need not read the journal back; 0 turns it off
 */
public record SpoolConfig(
    Path dir, SyncPolicy sync, long minFreeSpace, Duration rollCycle, long contentCache) {
  /** 64 MiB, as the spool's own default. */
  public static final long DEFAULT_MIN_FREE_SPACE = 64L << 20;

  /** One hour, as the spool's own default. */
  public static final Duration DEFAULT_ROLL_CYCLE = Duration.ofHours(1);

  /** 64 MiB, as the spool's own default. */
  public static final long DEFAULT_CONTENT_CACHE = 64L << 20;

  /**
   * The roll cycles the spool supports (the queue module's {@code SpoolOptions.ROLL_CYCLES}; a
   * relay test keeps the two lists equal, as this module does not depend on that one). The copy is
   * kept on purpose: config validates a YAML key without pulling in the spool and its Chronicle.
   */
  public static final List<Duration> ROLL_CYCLES =
      List.of(
          Duration.ofMinutes(5),
          Duration.ofMinutes(10),
          Duration.ofMinutes(20),
          Duration.ofMinutes(30),
          Duration.ofHours(1),
          Duration.ofHours(2),
          Duration.ofHours(4),
          Duration.ofHours(6),
          Duration.ofDays(1));

  public SpoolConfig {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(sync, "sync");
    Objects.requireNonNull(rollCycle, "rollCycle");
    if (minFreeSpace < 0) {
      throw new IllegalArgumentException("min-free-space must not be negative: " + minFreeSpace);
    }
    if (!ROLL_CYCLES.contains(rollCycle)) {
      throw new IllegalArgumentException(
          "roll-cycle must be one of 5m, 10m, 20m, 30m, 1h, 2h, 4h, 6h, 1d: " + rollCycle);
    }
    if (contentCache < 0) {
      throw new IllegalArgumentException("content-cache must not be negative: " + contentCache);
    }
  }

  public SpoolConfig(Path dir, SyncPolicy sync, long minFreeSpace) {
    this(dir, sync, minFreeSpace, DEFAULT_ROLL_CYCLE, DEFAULT_CONTENT_CACHE);
  }

  public SpoolConfig(Path dir, SyncPolicy sync) {
    this(dir, sync, DEFAULT_MIN_FREE_SPACE);
  }
}
