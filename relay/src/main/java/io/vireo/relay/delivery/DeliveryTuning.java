package io.vireo.relay.delivery;

import io.vireo.config.EngineTuning;
import java.time.Duration;
import java.util.Objects;

/**
 * The engine's pacing: {@code delivery.tuning} in {@code vireo.yaml} ({@link EngineTuning}), which
 * tests shorten.
 *
 * @param shutdownGrace how long {@link DeliveryEngine#close()} lets running transactions finish
 *     before interrupting them (their recipients are then deferred, or retried after a restart)
 * @param maxConcurrentLookups due messages being routed (DNS) at once; more wait for a slot, which
 *     bounds threads and DNS queries when a large queue comes due together
 * @param maxRecipientsPerTransaction recipients per SMTP transaction; RFC 5321 section 4.5.3.1.8
 *     has servers accept at least 100, so larger groups are split
 */
public record DeliveryTuning(
    Duration shutdownGrace,
    int maxConcurrentLookups,
    int maxRecipientsPerTransaction) {

  public DeliveryTuning {
    Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    if (shutdownGrace.isNegative()) {
      throw new IllegalArgumentException("shutdownGrace must not be negative: " + shutdownGrace);
    }
    if (maxConcurrentLookups < 1) {
      throw new IllegalArgumentException("maxConcurrentLookups must be positive");
    }
    if (maxRecipientsPerTransaction < 1) {
      throw new IllegalArgumentException("maxRecipientsPerTransaction must be positive");
    }
  }

  /** 10 s grace, 64 lookups, 100 recipients per transaction. */
  public static DeliveryTuning defaults() {
    return of(EngineTuning.DEFAULTS);
  }

  /** As configured in {@code delivery.tuning}. */
  public static DeliveryTuning of(EngineTuning config) {
    return new DeliveryTuning(
        config.stopGrace(), config.maxConcurrentLookups(), config.maxRecipientsPerTransaction());
  }

  public DeliveryTuning withShutdownGrace(Duration grace) {
    return new DeliveryTuning(grace, maxConcurrentLookups, maxRecipientsPerTransaction);
  }
}
