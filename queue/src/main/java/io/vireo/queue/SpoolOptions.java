package io.vireo.queue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to open a spool.
 *
 * @param directory holds the {@code messages} and {@code events} journals
 * @param durability when {@link Spool#store} returns
 * @param clock source of time for events and retention decisions (tests pass a fixed or manual
 *     clock); it also decides which journal file (roll cycle) a record lands in
 * @param rollCycle how much time one journal file covers; retention deletes whole files, so this is
 *     the granularity of disk reclamation. One of {@link #ROLL_CYCLES}. An existing spool keeps the
 *     cycle it was created with.
 * @param maintenancePeriod how often retention runs on the writer thread; {@link Duration#ZERO}
 *     turns the periodic run off (tests then trigger it explicitly)
 * @param minFreeBytes {@link Spool#store} refuses new messages with {@link SpoolFullException}
 *     while the spool's file system has less usable space than this plus the message (like
 *     Postfix's {@code queue_minfree})
 * @param writeTimeout how long a caller waits for the journal writer before giving up with a {@link
 *     SpoolException}; the write may still complete afterwards
 * @param contentCacheBytes how much recently stored content (in octets) the spool keeps in memory
 *     until the message is delivered, so a delivery right after acceptance need not read the journal
 *     back; 0 turns that off. Messages above a sixteenth of it are always read from the journal.
 */
public record SpoolOptions(
    Path directory,
    Durability durability,
    Clock clock,
    Duration rollCycle,
    Duration maintenancePeriod,
    long minFreeBytes,
    Duration writeTimeout,
    long contentCacheBytes) {

  /** The journal file periods the spool supports. */
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

  public static final Duration DEFAULT_ROLL_CYCLE = Duration.ofHours(1);
  public static final Duration DEFAULT_MAINTENANCE_PERIOD = Duration.ofMinutes(1);
  public static final long DEFAULT_MIN_FREE_BYTES = 64L << 20;
  public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(30);

  /** 64 MiB: some 16,000 messages of 4 KB waiting for their first delivery attempt. */
  public static final long DEFAULT_CONTENT_CACHE_BYTES = 64L << 20;

  public SpoolOptions {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(durability, "durability");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(rollCycle, "rollCycle");
    Objects.requireNonNull(maintenancePeriod, "maintenancePeriod");
    Objects.requireNonNull(writeTimeout, "writeTimeout");
    if (!ROLL_CYCLES.contains(rollCycle)) {
      throw new IllegalArgumentException(
          "rollCycle must be one of " + ROLL_CYCLES + ", not " + rollCycle);
    }
    if (maintenancePeriod.isNegative()) {
      throw new IllegalArgumentException(
          "maintenancePeriod must not be negative: " + maintenancePeriod);
    }
    if (minFreeBytes < 0) {
      throw new IllegalArgumentException("minFreeBytes must not be negative: " + minFreeBytes);
    }
    if (writeTimeout.isNegative() || writeTimeout.isZero()) {
      throw new IllegalArgumentException("writeTimeout must be positive: " + writeTimeout);
    }
    if (contentCacheBytes < 0) {
      throw new IllegalArgumentException(
          "contentCacheBytes must not be negative: " + contentCacheBytes);
    }
  }

  /**
   * Options with the default roll cycle, maintenance period, free-space floor, write timeout and
   * content cache.
   */
  public SpoolOptions(Path directory, Durability durability, Clock clock) {
    this(
        directory,
        durability,
        clock,
        DEFAULT_ROLL_CYCLE,
        DEFAULT_MAINTENANCE_PERIOD,
        DEFAULT_MIN_FREE_BYTES,
        DEFAULT_WRITE_TIMEOUT,
        DEFAULT_CONTENT_CACHE_BYTES);
  }

  public static SpoolOptions of(Path directory, Durability durability) {
    return new SpoolOptions(directory, durability, Clock.systemUTC());
  }

  // One with-method per component, each listing the others: Java records have no copy-with
  // expression, so these are alike on purpose (the duplicates tool pairs them).
  public SpoolOptions withClock(Clock newClock) {
    return new SpoolOptions(
        directory, durability, newClock, rollCycle, maintenancePeriod, minFreeBytes, writeTimeout, contentCacheBytes);
  }

  public SpoolOptions withRollCycle(Duration newRollCycle) {
    return new SpoolOptions(
        directory, durability, clock, newRollCycle, maintenancePeriod, minFreeBytes, writeTimeout, contentCacheBytes);
  }

  public SpoolOptions withMaintenancePeriod(Duration newPeriod) {
    return new SpoolOptions(
        directory, durability, clock, rollCycle, newPeriod, minFreeBytes, writeTimeout, contentCacheBytes);
  }

  public SpoolOptions withMinFreeBytes(long newMinFreeBytes) {
    return new SpoolOptions(
        directory, durability, clock, rollCycle, maintenancePeriod, newMinFreeBytes, writeTimeout, contentCacheBytes);
  }

  public SpoolOptions withWriteTimeout(Duration newWriteTimeout) {
    return new SpoolOptions(
        directory, durability, clock, rollCycle, maintenancePeriod, minFreeBytes, newWriteTimeout, contentCacheBytes);
  }

  public SpoolOptions withContentCacheBytes(long newContentCacheBytes) {
    return new SpoolOptions(
        directory,
        durability,
        clock,
        rollCycle,
        maintenancePeriod,
        minFreeBytes,
        writeTimeout,
        newContentCacheBytes);
  }
}
