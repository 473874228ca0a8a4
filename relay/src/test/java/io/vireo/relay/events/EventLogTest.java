package io.vireo.relay.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.queue.MessageId;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Segments, ids across a reopen, the size bound, a half-written line, reading with a filter. */
class EventLogTest {
  private static final long SEGMENT = 64 * 1024;

  @TempDir Path dir;

  private static RecipientEvent event(EventType type, int i) {
    return new RecipientEvent(
        type,
        new MessageId("01M8VDTCBZ00006Y9W9D"),
        "r" + i + "@x.test",
        "a@x.test",
        Instant.parse("2026-12-02T10:00:00Z"),
        null,
        null,
        null,
        null);
  }

  @Test
  void idsGoOnAcrossAReopenAndAHalfWrittenLineIsCut() throws Exception {
    String first;
    try (EventLog log = EventLog.open(dir, SEGMENT, 4 * SEGMENT)) {
      first = log.append(event(EventType.RECEIVED, 1), Labels.NONE).eventId();
      log.append(event(EventType.DELIVERED, 1), new Labels(List.of("t"), java.util.Map.of("k", "v")));
    }
    assertThat(first).matches("[0-9a-f]{8}-1");
    Path segment = dir.resolve("events-0000000001.jsonl");
    Files.writeString(segment, "{\"event_id\":\"half", StandardOpenOption.APPEND);
    try (EventLog log = EventLog.open(dir, SEGMENT, 4 * SEGMENT)) {
      String third = log.append(event(EventType.DEFERRED, 1), Labels.NONE).eventId();
      assertThat(third).isEqualTo(first.replace("-1", "-3"));
      EventLog.Batch all = log.read(new EventLog.Position(1, 0, 0), 10, type -> true);
      assertThat(all.lines()).hasSize(3);
      assertThat(EventJson.parse(new String(all.lines().get(1), StandardCharsets.UTF_8)).labels().tags())
          .containsExactly("t");
      EventLog.Batch filtered =
          log.read(new EventLog.Position(1, 0, 0), 10, EnumSet.of(EventType.DEFERRED)::contains);
      assertThat(filtered.lines()).hasSize(1);
      assertThat(filtered.next()).isEqualTo(log.end());
    }
  }

  @Test
  void segmentsRollAndTheOldestGoBeyondTheBoundAndAReaderSkipsThem() throws Exception {
    try (EventLog log = EventLog.open(dir, SEGMENT, 2 * SEGMENT)) {
      for (int i = 0; i < 1000; i++) {
        log.append(event(EventType.RECEIVED, i), Labels.NONE);
      }
      assertThat(log.segments().size()).isBetween(2, 3);
      assertThat(log.segments().first()).isGreaterThan(1L);
      EventLog.Batch batch = log.read(new EventLog.Position(1, 0, 0), 2000, type -> true);
      assertThat(batch.skippedSegments()).isPositive();
      assertThat(batch.next()).isEqualTo(log.end());
      assertThat(EventJson.sequence(EventJson.parse(new String(batch.lines().getLast(), StandardCharsets.UTF_8)).eventId()))
          .isEqualTo(1000);
    }
  }

  @Test
  void aReaderWaitsForTheNextEvent() throws Exception {
    try (EventLog log = EventLog.open(dir, SEGMENT, 4 * SEGMENT)) {
      EventLog.Position end = log.end();
      assertThat(log.awaitAfter(end, Duration.ofMillis(10))).isFalse();
      Thread.ofVirtual().start(() -> log.append(event(EventType.RECEIVED, 1), Labels.NONE));
      assertThat(log.awaitAfter(end, Duration.ofSeconds(30))).isTrue();
    }
  }
}
