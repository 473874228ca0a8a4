package io.vireo.relay.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.queue.MessageId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A message's history through the event log's index: across rolled segments (sorted indexes) and
 * the segment being written (open records), after a reopen, with the index deleted or torn, and
 * with the size bound taking the oldest segments.
 */
class EventIndexTest {
  private static final long SEGMENT = 64 * 1024;
  private static final MessageId A = new MessageId("01M8VDTCBZ00006Y9W9D");
  private static final MessageId B = new MessageId("01M8VDTCBZ00006Y9W9E");

  @TempDir Path dir;

  private static RecipientEvent event(EventType type, MessageId id, int i) {
    return new RecipientEvent(
        type,
        id,
        "r" + i + "@x.test",
        "a@x.test",
        Instant.parse("2026-12-02T10:00:00Z").plusSeconds(i),
        "mx.x.test[127.0.0.1]:25",
        "451 4.3.0 try " + i,
        "4.3.0",
        null);
  }

  /** 3000 events: every tenth about A, the rest about B, and some with no id (RCPT refusals). */
  private static void fill(EventLog log) {
    for (int i = 0; i < 3000; i++) {
      MessageId id = i % 10 == 0 ? A : B;
      log.append(event(i % 7 == 0 ? EventType.DEFERRED : EventType.RECEIVED, i % 13 == 0 ? null : id, i), Labels.NONE);
    }
  }

  private static List<String> recipients(EventHistory.History history) {
    return history.events().stream().map(e -> e.change().recipient()).toList();
  }

  private static List<String> expectedForA() {
    return java.util.stream.IntStream.range(0, 3000)
        .filter(i -> i % 10 == 0 && i % 13 != 0)
        .mapToObj(i -> "r" + i + "@x.test")
        .toList();
  }

  @Test
  void findsEveryEventOfAMessageAcrossSegmentsInLogOrder() throws Exception {
    try (EventLog log = EventLog.open(dir, SEGMENT, 64 * SEGMENT)) {
      fill(log);
      assertThat(log.segments().size()).isGreaterThan(3);
      EventHistory.History history = log.of(A, 10_000);
      assertThat(recipients(history)).isEqualTo(expectedForA());
      assertThat(history.truncated()).isFalse();
      assertThat(history.events().getFirst().change().reply()).isEqualTo("451 4.3.0 try 10");
      // Rolled segments have sorted indexes; only the one being written has open records.
      try (Stream<Path> files = Files.list(dir.resolve("index"))) {
        assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".open")))
            .containsExactly(String.format("events-%010d.open", log.segments().last()));
      }
      EventHistory.History latest = log.of(A, 5);
      assertThat(recipients(latest)).isEqualTo(expectedForA().subList(expectedForA().size() - 5, expectedForA().size()));
      assertThat(latest.truncated()).isTrue();
      assertThat(log.of(new MessageId("01M8VDTCBZ00006Y9W9F"), 10).events()).isEmpty();
    }
  }

  @Test
  void aReopenedLogFindsTheSameAndGoesOnIndexing() throws Exception {
    try (EventLog log = EventLog.open(dir, SEGMENT, 64 * SEGMENT)) {
      fill(log);
    }
    try (EventLog log = EventLog.open(dir, SEGMENT, 64 * SEGMENT)) {
      assertThat(recipients(log.of(A, 10_000))).isEqualTo(expectedForA());
      log.append(event(EventType.DELIVERED, A, 5000), Labels.NONE);
      assertThat(recipients(log.of(A, 10_000))).endsWith("r5000@x.test").hasSize(expectedForA().size() + 1);
    }
  }

  @Test
  void aDeletedOrTornIndexIsRebuiltFromTheSegments() throws Exception {
    try (EventLog log = EventLog.open(dir, SEGMENT, 64 * SEGMENT)) {
      fill(log);
    }
    Path index = dir.resolve("index");
    long last;
    try (Stream<Path> files = Files.list(index)) {
      List<Path> all = files.sorted().toList();
      Path open = all.stream().filter(p -> p.toString().endsWith(".open")).findFirst().orElseThrow();
      last = Long.parseLong(open.getFileName().toString().substring(7, 17));
      // A torn last record of the segment being written, and a sealed index gone.
      Files.write(open, new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
      Files.delete(all.getFirst());
    }
    try (EventLog log = EventLog.open(dir, SEGMENT, 64 * SEGMENT)) {
      assertThat(recipients(log.of(A, 10_000))).isEqualTo(expectedForA());
      assertThat(Files.size(index.resolve(String.format("events-%010d.open", last))) % EventIndex.RECORD).isZero();
    }
    // With no index at all, the open segment is indexed at the opening and the rest on demand.
    try (Stream<Path> files = Files.list(index)) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
    Files.delete(index);
    try (EventLog log = EventLog.open(dir, SEGMENT, 64 * SEGMENT)) {
      assertThat(recipients(log.of(A, 10_000))).isEqualTo(expectedForA());
      assertThat(recipients(log.of(B, 10_000))).hasSize(
              (int) java.util.stream.IntStream.range(0, 3000).filter(i -> i % 10 != 0 && i % 13 != 0).count());
    }
  }

  @Test
  void theSizeBoundTakesTheIndexWithItsSegment() throws Exception {
    try (EventLog log = EventLog.open(dir, SEGMENT, 3 * SEGMENT)) {
      fill(log);
      long first = log.segments().first();
      assertThat(first).isGreaterThan(1);
      try (Stream<Path> files = Files.list(dir.resolve("index"))) {
        assertThat(files.map(p -> Long.parseLong(p.getFileName().toString().substring(7, 17))))
            .allMatch(n -> n >= first);
      }
      List<String> found = recipients(log.of(A, 10_000));
      assertThat(found).isNotEmpty();
      assertThat(expectedForA()).endsWith(found.toArray(String[]::new));
    }
  }

  @Test
  void theIdOfALineIsReadWithoutParsing() {
    byte[] line =
        EventJson.line(new Event("abcd0123-7", event(EventType.RECEIVED, A, 1), Labels.NONE));
    assertThat(EventIndex.idOf(line)).isEqualTo(A.value());
    byte[] none =
        EventJson.line(
            new Event(
                "abcd0123-8",
                event(EventType.SUPPRESSED, null, 1),
                new Labels(List.of(), java.util.Map.of("a", "b", "id", A.value()))));
    assertThat(EventIndex.idOf(none)).isNull();
  }
}
