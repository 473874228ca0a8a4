package io.vireo.relay.delivery.outcome;

import io.vireo.queue.Histogram;
import java.util.concurrent.atomic.LongAdder;

/**
 * What {@link Outcomes} counts; the engine's {@code stats()} snapshots it. Read-only outside this
 * package.
 */
public final class OutcomeCounters {
  final LongAdder attempts = new LongAdder();
  final LongAdder delivered = new LongAdder();
  final LongAdder deferred = new LongAdder();
  final LongAdder bounced = new LongAdder();
  final LongAdder expired = new LongAdder();
  final LongAdder bouncesQueued = new LongAdder();
  final LongAdder delayNotices = new LongAdder();

  /**
   * Milliseconds from a message's arrival to each recipient's delivery: 10 ms .. 5 days (the
   * default {@code retry.max-age}), so both the fast path and retries show.
   */
  final Histogram acceptToDeliveredMillis =
      new Histogram(
          10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 300_000,
          900_000, 3_600_000, 14_400_000, 86_400_000, 432_000_000);

  public long attempts() {
    return attempts.sum();
  }

  public long delivered() {
    return delivered.sum();
  }

  public long deferred() {
    return deferred.sum();
  }

  public long bounced() {
    return bounced.sum();
  }

  public long expired() {
    return expired.sum();
  }

  public long bouncesQueued() {
    return bouncesQueued.sum();
  }

  public long delayNotices() {
    return delayNotices.sum();
  }

  public Histogram.Snapshot acceptToDeliveredMillis() {
    return acceptToDeliveredMillis.snapshot();
  }
}
