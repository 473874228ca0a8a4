package io.vireo.queue;

import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * A distribution counted into fixed buckets, cheap enough for a hot path: recording is a binary
 * search over the bounds and two {@link LongAdder} increments, with no allocation and no lock.
 * Readers take a {@link Snapshot}; a metrics exporter publishes it as a Prometheus histogram, so
 * the code that records never depends on a metrics library.
 *
 * <p>Values are whole numbers in the recorder's own unit (nanoseconds, requests); the snapshot's
 * reader converts them to base units.
 */
public final class Histogram {
  private final long[] bounds;
  private final LongAdder[] counts;
  private final LongAdder sum = new LongAdder();

  /**
   * @param bounds inclusive upper bounds of the buckets, strictly ascending; values above the last
   *     one fall in an overflow bucket
   */
  public Histogram(long... bounds) {
    if (bounds.length == 0) {
      throw new IllegalArgumentException("a histogram needs at least one bucket bound");
    }
    for (int i = 1; i < bounds.length; i++) {
      if (bounds[i] <= bounds[i - 1]) {
        throw new IllegalArgumentException("bucket bounds must ascend: " + Arrays.toString(bounds));
      }
    }
    this.bounds = bounds.clone();
    this.counts = new LongAdder[bounds.length + 1];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = new LongAdder();
    }
  }

  /** Counts one observation of {@code value} (negative values count as 0). */
  public void record(long value) {
    long v = Math.max(0, value);
    int at = Arrays.binarySearch(bounds, v);
    counts[at >= 0 ? at : -at - 1].increment();
    sum.add(v);
  }

  /** The counts so far; taken bucket by bucket, so it may straddle a concurrent record. */
  public Snapshot snapshot() {
    long[] taken = new long[counts.length];
    for (int i = 0; i < counts.length; i++) {
      taken[i] = counts[i].sum();
    }
    return new Snapshot(bounds.clone(), taken, sum.sum());
  }

  /**
   * The state of a histogram at one moment.
   *
   * @param bounds the buckets' inclusive upper bounds
   * @param counts observations per bucket (not cumulative), one more than {@code bounds}: the last
   *     is the overflow bucket
   * @param sum the sum of every value recorded
   */
  public record Snapshot(long[] bounds, long[] counts, long sum) {
    public Snapshot {
      if (counts.length != bounds.length + 1) {
        throw new IllegalArgumentException("counts need one entry per bound plus the overflow");
      }
    }

    /** Every observation. */
    public long count() {
      long total = 0;
      for (long c : counts) {
        total += c;
      }
      return total;
    }
  }
}
