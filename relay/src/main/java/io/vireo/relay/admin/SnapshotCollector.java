package io.vireo.relay.admin;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.vireo.queue.Histogram;
import io.vireo.relay.admin.StatsSources.RelaySnapshot;
import io.vireo.relay.delivery.DestinationStats;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * The metrics Micrometer has no meter for, built straight from the relay's snapshots at scrape
 * time: histograms the relay counts itself ({@link Histogram}, so recording needs no metrics
 * library) and per-destination queue gauges whose label set changes as destinations come and go.
 *
 * <p>Destination labels are bounded: the {@link #MAX_DESTINATIONS} destinations with the most
 * queued jobs get their own label; the rest are summed under {@code destination="other"}.
 */
final class SnapshotCollector implements MultiCollector {
  /** Destinations published with their own label; more would let a scrape grow without bound. */
  static final int MAX_DESTINATIONS = 20;

  static final String OTHER = "other";

  private static final double NANOS_PER_SECOND = 1e9;
  private static final double MILLIS_PER_SECOND = 1e3;

  private final Supplier<RelaySnapshot> current;
  private final Clock clock;

  SnapshotCollector(Supplier<RelaySnapshot> current, Clock clock) {
    this.current = current;
    this.clock = clock;
  }

  @Override
  public MetricSnapshots collect() {
    RelaySnapshot snapshot = current.get();
    List<io.prometheus.metrics.model.snapshots.MetricSnapshot> metrics = new ArrayList<>();
    metrics.add(
        histogram(
            "vireo_spool_sync_duration_seconds",
            "Time one journal sync (fdatasync) took",
            snapshot.spool().syncNanos(),
            NANOS_PER_SECOND));
    metrics.add(
        histogram(
            "vireo_spool_sync_batch_size",
            "Writes made durable by one journal sync (the group commit's batch)",
            snapshot.spool().syncBatch(),
            1));
    metrics.add(
        histogram(
            "vireo_delivery_accept_to_delivered_seconds",
            "Time from a message's arrival to the delivery of each of its recipients",
            snapshot.delivery().acceptToDeliveredMillis(),
            MILLIS_PER_SECOND));
    metrics.addAll(destinationGauges(snapshot.delivery().queues(), clock.instant()));
    return new MetricSnapshots(metrics);
  }

  private static HistogramSnapshot histogram(
      String name, String help, Histogram.Snapshot snapshot, double perBaseUnit) {
    long[] bounds = snapshot.bounds();
    double[] upper = new double[bounds.length + 1];
    for (int i = 0; i < bounds.length; i++) {
      upper[i] = bounds[i] / perBaseUnit;
    }
    upper[bounds.length] = Double.POSITIVE_INFINITY;
    return HistogramSnapshot.builder()
        .name(name)
        .help(help)
        .dataPoint(
            HistogramDataPointSnapshot.builder()
                .classicHistogramBuckets(ClassicHistogramBuckets.of(upper, snapshot.counts()))
                .sum(snapshot.sum() / perBaseUnit)
                .build())
        .build();
  }

  private static List<GaugeSnapshot> destinationGauges(
      List<DestinationStats> queues, Instant now) {
    List<DestinationStats> ranked = new ArrayList<>(queues);
    ranked.sort(
        Comparator.comparingInt(DestinationStats::queued)
            .thenComparingInt(DestinationStats::workers)
            .reversed()
            .thenComparing(DestinationStats::destination));
    GaugeSnapshot.Builder depth =
        GaugeSnapshot.builder()
            .name("vireo_queue_depth")
            .help("Jobs due now and waiting for a worker, per destination (top 20, then other)");
    GaugeSnapshot.Builder oldest =
        GaugeSnapshot.builder()
            .name("vireo_queue_oldest_age_seconds")
            .help("Age of the oldest message waiting in a destination's queue");
    GaugeSnapshot.Builder workers =
        GaugeSnapshot.builder()
            .name("vireo_queue_workers")
            .help("Workers (one connection each) delivering to a destination now");
    int shown = Math.min(ranked.size(), MAX_DESTINATIONS);
    for (int i = 0; i < shown; i++) {
      DestinationStats d = ranked.get(i);
      add(depth, oldest, workers, d.destination(), d.queued(), d.workers(), d.oldestArrival(), now);
    }
    if (ranked.size() > MAX_DESTINATIONS) {
      int queued = 0;
      int busy = 0;
      Instant earliest = null;
      for (DestinationStats d : ranked.subList(MAX_DESTINATIONS, ranked.size())) {
        queued += d.queued();
        busy += d.workers();
        if (d.oldestArrival() != null
            && (earliest == null || d.oldestArrival().isBefore(earliest))) {
          earliest = d.oldestArrival();
        }
      }
      add(depth, oldest, workers, OTHER, queued, busy, earliest, now);
    }
    return List.of(depth.build(), oldest.build(), workers.build());
  }

  private static void add(
      GaugeSnapshot.Builder depth,
      GaugeSnapshot.Builder oldest,
      GaugeSnapshot.Builder workers,
      String destination,
      int queued,
      int busy,
      Instant oldestArrival,
      Instant now) {
    Labels labels = Labels.of("destination", destination);
    depth.dataPoint(point(labels, queued));
    workers.dataPoint(point(labels, busy));
    double age =
        oldestArrival == null
            ? 0
            : Math.max(0, Duration.between(oldestArrival, now).toMillis() / MILLIS_PER_SECOND);
    oldest.dataPoint(point(labels, age));
  }

  private static GaugeDataPointSnapshot point(Labels labels, double value) {
    return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
  }
}
