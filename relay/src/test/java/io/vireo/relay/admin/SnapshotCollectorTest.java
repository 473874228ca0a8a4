package io.vireo.relay.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.vireo.queue.Histogram;
import io.vireo.queue.SpoolStats;
import io.vireo.relay.admin.StatsSources.RelaySnapshot;
import io.vireo.relay.delivery.DeliveryStats;
import io.vireo.relay.delivery.DestinationStats;
import io.vireo.relay.delivery.smtp.PoolStats;
import io.vireo.relay.dns.ResolverStats;
import io.vireo.relay.server.ListenerStats;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SnapshotCollectorTest {
  private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");

  @Test
  void destinationsBeyondTheCapAreSummedUnderOther() {
    List<DestinationStats> queues = new ArrayList<>();
    for (int i = 0; i < SnapshotCollector.MAX_DESTINATIONS + 5; i++) {
      // Destination i has i queued jobs, the oldest i minutes old.
      Instant oldest = i == 0 ? null : NOW.minusSeconds(60L * i);
      queues.add(new DestinationStats("mx" + i + ".test", i, 1, oldest, false));
    }
    MetricSnapshots metrics = collect(queues, new Histogram(1).snapshot());

    Map<String, Double> depth = gauge(metrics, "vireo_queue_depth");
    Map<String, Double> age = gauge(metrics, "vireo_queue_oldest_age_seconds");
    Map<String, Double> workers = gauge(metrics, "vireo_queue_workers");
    assertThat(depth).hasSize(SnapshotCollector.MAX_DESTINATIONS + 1);
    // The deepest 20 (24 down to 5) have their own label; 0..4 are "other".
    assertThat(depth).containsEntry("mx24.test", 24.0).containsEntry("mx5.test", 5.0);
    assertThat(depth).doesNotContainKey("mx4.test");
    assertThat(depth).containsEntry(SnapshotCollector.OTHER, 0.0 + 1 + 2 + 3 + 4);
    assertThat(age).containsEntry("mx24.test", 24 * 60.0).containsEntry("other", 4 * 60.0);
    assertThat(workers).containsEntry("other", 5.0);
  }

  @Test
  void histogramsAreInBaseUnits() {
    Histogram millis = new Histogram(10, 1_000);
    millis.record(5);
    millis.record(700);
    millis.record(5_000);
    MetricSnapshots metrics = collect(List.of(), millis.snapshot());

    HistogramSnapshot latency =
        (HistogramSnapshot) find(metrics, "vireo_delivery_accept_to_delivered_seconds");
    var point = latency.getDataPoints().getFirst();
    assertThat(point.getSum()).isEqualTo(5.705);
    assertThat(point.getCount()).isEqualTo(3);
    var buckets = point.getClassicBuckets();
    assertThat(buckets.getUpperBound(0)).isEqualTo(0.01);
    assertThat(buckets.getUpperBound(1)).isEqualTo(1.0);
    assertThat(buckets.getUpperBound(2)).isEqualTo(Double.POSITIVE_INFINITY);
    assertThat(List.of(buckets.getCount(0), buckets.getCount(1), buckets.getCount(2)))
        .containsExactly(1L, 1L, 1L);
  }

  private static MetricSnapshots collect(
      List<DestinationStats> queues, Histogram.Snapshot acceptToDelivered) {
    Histogram.Snapshot none = new Histogram(1).snapshot();
    RelaySnapshot snapshot =
        new RelaySnapshot(
            new ListenerStats(true, 0, 0, 0, 0, 0, 0),
            new SpoolStats(0, 1L << 30, 1L << 20, true, none, none),
            new DeliveryStats(
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, queues.size(), 0, acceptToDelivered,
                new PoolStats(0, 0, 0), queues, 0),
            new ResolverStats(0, 0, 0, 0, 0, 0));
    return new SnapshotCollector(() -> snapshot, Clock.fixed(NOW, ZoneOffset.UTC)).collect();
  }

  private static MetricSnapshot find(MetricSnapshots metrics, String name) {
    return metrics.stream()
        .filter(m -> m.getMetadata().getPrometheusName().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static Map<String, Double> gauge(MetricSnapshots metrics, String name) {
    Map<String, Double> byDestination = new TreeMap<>();
    for (var point : ((GaugeSnapshot) find(metrics, name)).getDataPoints()) {
      byDestination.put(point.getLabels().get("destination"), point.getValue());
    }
    return byDestination;
  }
}
