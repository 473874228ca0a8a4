package io.vireo.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code suppression}: addresses that bounced are not mailed again for a while.
 *
 * @param enabled whether the list is kept and consulted at all
 * @param file the list's journal; empty: {@code <spool.dir>/suppressions.jsonl}
 * @param action refuse at RCPT, or accept and hold in the queue
 * @param expireAfter an entry is dropped this long after it was added; zero: never
 * @param softBounces this many temporary failures from the remote server, for different messages
 *     within {@code softBounceWindow}, suppress the address too; 0: only hard bounces do
 * @param softBounceWindow the window {@code softBounces} are counted in
 */
public record SuppressionConfig(
    boolean enabled,
    Optional<Path> file,
    SuppressionAction action,
    Duration expireAfter,
    int softBounces,
    Duration softBounceWindow) {
  /** Off: a relay refuses nobody for past bounces unless asked to. */
  public static final SuppressionConfig DEFAULTS =
      new SuppressionConfig(
          false, Optional.empty(), SuppressionAction.REFUSE, Duration.ofDays(90), 5, Duration.ofDays(3));

  public SuppressionConfig {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(expireAfter, "expireAfter");
    Objects.requireNonNull(softBounceWindow, "softBounceWindow");
    if (expireAfter.isNegative()) {
      throw new IllegalArgumentException("suppression expire-after must not be negative");
    }
    if (softBounces < 0) {
      throw new IllegalArgumentException("suppression soft-bounces must not be negative");
    }
    if (softBounceWindow.isNegative() || softBounceWindow.isZero()) {
      throw new IllegalArgumentException("suppression soft-bounce-window must be positive");
    }
  }

  /** The journal file, for a spool in {@code spoolDir}. */
  public Path fileFor(Path spoolDir) {
    return file.orElseGet(() -> spoolDir.resolve("suppressions.jsonl"));
  }
}
