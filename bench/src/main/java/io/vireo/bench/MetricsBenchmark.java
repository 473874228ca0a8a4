package io.vireo.bench;

import io.vireo.queue.Histogram;
import io.vireo.queue.SpoolStats;
import io.vireo.relay.admin.RelayMetrics;
import io.vireo.relay.admin.StatsSources;
import io.vireo.relay.delivery.DeliveryStats;
import io.vireo.relay.delivery.DestinationStats;
import io.vireo.relay.delivery.smtp.PoolStats;
import io.vireo.relay.dns.ResolverStats;
import io.vireo.relay.server.ListenerStats;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What metrics cost. {@code record1}/{@code record2}: one {@link Histogram#record} (the
 * accept-to-delivered latency, counted per delivered recipient) from one thread and from two at
 * once (both cores of the reference machine, contending on the same adders). {@code scrape}: one
 * {@code /metrics} page rendered by {@link RelayMetrics} with 200 destinations known (20 named,
 * the rest summed as "other"), as a Prometheus scrape every 15 s would cost, off the message path.
 *
 * <p>Run: {@code bin/bench jmh MetricsBenchmark -f 1 -wi 2 -w 3s -i 3 -r 5s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 5)
public class MetricsBenchmark {
  private static final int DESTINATIONS = 200;

  private final Histogram latency =
      new Histogram(
          10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 300_000,
          900_000, 3_600_000, 14_400_000, 86_400_000, 432_000_000);
  private long[] values;
  private RelayMetrics metrics;

  /** Per-thread position in the value table, so threads do not share a counter. */
  @State(Scope.Thread)
  public static class Cursor {
    int next;
  }

  @Setup
  public void setUp() {
    SplittableRandom random = new SplittableRandom(7);
    values = new long[4096];
    for (int i = 0; i < values.length; i++) {
      // Mostly fast deliveries (tens of ms), some retries (minutes to hours).
      values[i] =
          random.nextInt(10) == 0
              ? random.nextLong(60_000, 14_400_000)
              : random.nextLong(5, 200);
    }
    Instant now = Instant.now();
    List<DestinationStats> queues = new ArrayList<>();
    for (int i = 0; i < DESTINATIONS; i++) {
      queues.add(
          new DestinationStats("mx" + i + ".example.test", i, 2, now.minusSeconds(i), false));
    }
    Histogram.Snapshot sync = latency.snapshot();
    SpoolStats spool = new SpoolStats(100_000, 10L << 30, 64L << 20, true, sync, sync);
    DeliveryStats delivery =
        new DeliveryStats(
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, DESTINATIONS, 1000, sync, new PoolStats(1, 2, 3),
            queues, 0);
    metrics =
        new RelayMetrics(
            new StatsSources(
                () -> new ListenerStats(true, 50, 1000, 1, 2, 100_000, 120_000),
                () -> spool,
                () -> delivery,
                () -> new ResolverStats(1, 2, 3, 4, 5, 6)),
            Clock.systemUTC(),
            "bench");
  }

  @TearDown
  public void tearDown() {
    metrics.close();
  }

  @Benchmark
  @Threads(1)
  public void record1(Cursor cursor) {
    latency.record(values[cursor.next++ & (values.length - 1)]);
  }

  @Benchmark
  @Threads(2)
  public void record2(Cursor cursor) {
    latency.record(values[cursor.next++ & (values.length - 1)]);
  }

  @Benchmark
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public int scrape() {
    return metrics.scrape().length();
  }
}
