package io.vireo.config;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code delivery.tuning}: how the delivery engine paces itself; the defaults suit most relays.
 * Read when the engine is built: a change takes a restart.
 *
 * @param stopGrace how long stopping lets running delivery transactions finish before they are
 *     interrupted (their recipients are then deferred, or retried after the restart)
 * @param maxConcurrentLookups due messages routed (MX lookups) at once; more wait for a slot, which
 *     bounds threads and DNS queries when a large queue comes due together
 * @param maxRecipientsPerTransaction recipients per outbound SMTP transaction; larger groups are
 *     split (RFC 5321 section 4.5.3.1.8: servers accept at least 100)
 */
public record EngineTuning(
    Duration stopGrace, int maxConcurrentLookups, int maxRecipientsPerTransaction) {
  /** 10 s, 64 lookups, 100 recipients. */
  public static final EngineTuning DEFAULTS = new EngineTuning(Duration.ofSeconds(10), 64, 100);

  public EngineTuning {
    Objects.requireNonNull(stopGrace, "stopGrace");
    if (stopGrace.isNegative()) {
      throw new IllegalArgumentException("stop-grace must not be negative: " + stopGrace);
    }
    Checks.requirePositive("max-concurrent-lookups", maxConcurrentLookups);
    Checks.requirePositive("max-recipients-per-transaction", maxRecipientsPerTransaction);
  }

  public EngineTuning withStopGrace(Duration grace) {
    return new EngineTuning(grace, maxConcurrentLookups, maxRecipientsPerTransaction);
  }
}
