package io.vireo.queue.chronicle;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.queue.Durability;
import io.vireo.queue.Envelope;
import io.vireo.queue.SpoolEvent;
import io.vireo.queue.SpoolOptions;
import io.vireo.queue.SpoolStats;
import io.vireo.queue.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ChronicleSpool#stats()}: what health checks and metrics read. */
class SpoolStatsTest {
  @TempDir Path dir;

  private final ManualClock clock = new ManualClock(Instant.parse("2026-03-02T10:15:00Z"));
  private final TestMessages messages = new TestMessages(clock);

  private SpoolOptions options() {
    return new SpoolOptions(dir, Durability.GROUP, clock).withMaintenancePeriod(Duration.ZERO);
  }

  @Test
  void countsPendingMessagesAndEverySync() {
    try (ChronicleSpool spool = ChronicleSpool.open(options())) {
      Envelope first = messages.envelope("a@example.com");
      spool.store(first, TestMessages.text("one"));
      spool.store(messages.envelope("b@example.com"), TestMessages.text("two"));
      spool.record(
          new SpoolEvent.Delivered(first.id(), "a@example.com", clock.instant(), "mx", "250 ok"));

      SpoolStats stats = spool.stats();

      assertThat(stats.pendingMessages()).isEqualTo(1);
      assertThat(stats.writable()).isTrue();
      assertThat(stats.usableBytes()).isGreaterThanOrEqualTo(stats.minFreeBytes());
      // Three waited-for writes, each in its own batch: three syncs of one request each.
      assertThat(stats.syncNanos().count()).isEqualTo(3);
      assertThat(stats.syncNanos().sum()).isPositive();
      assertThat(stats.syncBatch().count()).isEqualTo(3);
      assertThat(stats.syncBatch().sum()).isEqualTo(3);
    }
  }

  @Test
  void isNotWritableBelowTheFreeSpaceFloorNorOnceClosed() {
    try (ChronicleSpool spool =
        ChronicleSpool.open(options().withMinFreeBytes(Long.MAX_VALUE / 2))) {
      SpoolStats stats = spool.stats();
      assertThat(stats.writable()).isFalse();
      assertThat(stats.minFreeBytes()).isEqualTo(Long.MAX_VALUE / 2);
    }
    ChronicleSpool spool = ChronicleSpool.open(options());
    assertThat(spool.stats().writable()).isTrue();
    spool.close();
    assertThat(spool.stats().writable()).isFalse();
  }

  @Test
  void aReadOnlyViewIsNeverWritable() {
    try (ChronicleSpool writer = ChronicleSpool.open(options())) {
      writer.store(messages.envelope("a@example.com"), TestMessages.text("one"));
    }
    try (ChronicleSpool view = ChronicleSpool.openReadOnly(dir)) {
      SpoolStats stats = view.stats();
      assertThat(stats.writable()).isFalse();
      assertThat(stats.pendingMessages()).isEqualTo(1);
      assertThat(stats.syncNanos().count()).isZero();
    }
  }
}
