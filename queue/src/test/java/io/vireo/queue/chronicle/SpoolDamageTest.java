package io.vireo.queue.chronicle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.queue.Durability;
import io.vireo.queue.Envelope;
import io.vireo.queue.MessageContent;
import io.vireo.queue.MessageId;
import io.vireo.queue.QueuedMessage;
import io.vireo.queue.RecipientState;
import io.vireo.queue.SpoolEvent;
import io.vireo.queue.SpoolException;
import io.vireo.queue.SpoolFinding;
import io.vireo.queue.SpoolOptions;
import io.vireo.queue.testing.ManualClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.RollCycles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damages a stopped spool the ways a failing disk, a full file system or a bad copy does, then
 * checks the promise: every message whose bytes are intact is recovered once, damaged ones are
 * quarantined and reported, and messages stored afterwards survive the next restart.
 */
class SpoolDamageTest {
  private static final Instant START = Instant.parse("2026-03-02T10:15:00Z");
  private static final int MESSAGES = 30;
  private static final int LARGE = 7;

  @TempDir Path dir;

  private final ManualClock clock = new ManualClock(START);
  private final TestMessages messages = new TestMessages(clock);

  /** The messages stored before the damage, in journal order, with their contents. */
  private final Map<MessageId, MessageContent> stored = new LinkedHashMap<>();

  private MessageId delivered;
  private MessageId deferred;

  private SpoolOptions options() {
    return new SpoolOptions(dir, Durability.GROUP, clock)
        .withMaintenancePeriod(Duration.ZERO)
        .withContentCacheBytes(0);
  }

  @BeforeEach
  void fillSpool() {
    try (ChronicleSpool spool = ChronicleSpool.open(options())) {
      for (int i = 0; i < MESSAGES; i++) {
        Envelope envelope = messages.envelope("r" + i + "@example.com", "s" + i + "@example.net");
        MessageContent content =
            i == LARGE
                ? TestMessages.random(2 * MessageContent.MAX_CHUNK + 333, i)
                : TestMessages.text("Subject: " + i + "\r\n\r\nbody " + i + "\r\n");
        spool.store(envelope, content);
        stored.put(envelope.id(), content);
      }
      delivered = ids().get(0);
      deferred = ids().get(1);
      for (String rcpt : List.of("r0@example.com", "s0@example.net")) {
        spool.record(new SpoolEvent.Delivered(delivered, rcpt, START, "mx", "250 ok"));
      }
      spool.record(
          new SpoolEvent.Deferred(
              deferred, "r1@example.com", START, START.plusSeconds(600), "451 later"));
    }
  }

  private List<MessageId> ids() {
    return new ArrayList<>(stored.keySet());
  }

  private Path messagesFile() {
    return JournalLayout.records(dir.resolve("messages")).getFirst().file();
  }

  private JournalLayout.Record messageRecord(MessageId id) {
    return JournalLayout.records(dir.resolve("messages")).stream()
        .filter(r -> r.type() == 'M' && r.messageId().equals(id.value()))
        .findFirst()
        .orElseThrow();
  }

  /** Opens, checks the queue is exactly {@code expected}, stores more, and restarts once more. */
  private void assertRecoversExactly(Set<MessageId> expected) {
    List<MessageId> later = new ArrayList<>();
    try (ChronicleSpool spool = ChronicleSpool.open(options())) {
      assertThat(pendingIds(spool)).containsExactlyInAnyOrderElementsOf(expected);
      for (MessageId id : expected) {
        assertThat(spool.read(id).orElseThrow().content().toByteArray())
            .isEqualTo(stored.get(id).toByteArray());
      }
      for (int i = 0; i < 3; i++) {
        Envelope envelope = messages.envelope("after" + i + "@example.com");
        spool.store(envelope, TestMessages.text("after " + i));
        later.add(envelope.id());
      }
    }
    try (ChronicleSpool spool = ChronicleSpool.open(options())) {
      assertThat(pendingIds(spool)).containsAll(later).containsAll(expected);
      assertThat(pendingIds(spool)).hasSize(expected.size() + later.size());
    }
    assertThat(ChronicleSpool.check(dir, false, clock).findings()).isEmpty();
  }

  private static List<MessageId> pendingIds(ChronicleSpool spool) {
    return spool.pending().stream().map(QueuedMessage::id).toList();
  }

  private Set<MessageId> undelivered() {
    return ids().stream().filter(id -> !id.equals(delivered)).collect(Collectors.toSet());
  }

  private long quarantinedRanges() throws IOException {
    Path quarantine = dir.resolve("quarantine");
    if (!Files.exists(quarantine)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(quarantine)) {
      return files.filter(p -> p.getParent().getFileName().toString().equals("records")).count();
    }
  }

  @Test
  void aSoundSpoolChecksClean() {
    SpoolCheckReport report = ChronicleSpool.check(dir, false, clock);

    assertThat(report.damaged()).isFalse();
    assertThat(report.queuedMessages()).isEqualTo(MESSAGES - 1);
    assertThat(report.pendingRecipients()).isEqualTo(2L * (MESSAGES - 1));
    assertThat(report.eventRecords()).isEqualTo(3);
  }

  @Test
  void aTruncationInsideARecordKeepsEveryMessageBeforeItAndEveryOneAfterTheRestart()
      throws IOException {
    List<JournalLayout.Record> records = JournalLayout.records(dir.resolve("messages"));
    JournalLayout.Record cut = records.get(records.size() * 6 / 10);
    JournalLayout.truncate(cut.file(), cut.payload() + cut.length() / 2);
    Set<MessageId> intact =
        records.stream()
            .filter(r -> r.type() == 'M' && r.end() <= cut.position())
            .map(r -> new MessageId(r.messageId()))
            .filter(id -> !id.equals(delivered))
            .collect(Collectors.toSet());

    assertThat(ChronicleSpool.check(dir, false, clock).findings())
        .extracting(SpoolFinding::kind)
        .contains(SpoolFinding.Kind.DAMAGED_RECORDS);
    assertRecoversExactly(intact);
    assertThat(quarantinedRanges()).isEqualTo(1);
  }

  @Test
  void aTruncationAtARecordBoundaryIsSeenAndRepaired() {
    List<JournalLayout.Record> records = JournalLayout.records(dir.resolve("messages"));
    JournalLayout.Record last = records.getLast();
    JournalLayout.truncate(last.file(), last.position());
    Set<MessageId> intact = undelivered();
    intact.remove(new MessageId(last.messageId()));

    assertRecoversExactly(intact);
  }

  @Test
  void recordsAppendedBehindAGapByAnEarlierRunAreRecovered() {
    // The state the old recovery left behind: a torn file that Chronicle then appended to.
    List<JournalLayout.Record> records = JournalLayout.records(dir.resolve("messages"));
    JournalLayout.Record cut = records.get(records.size() / 2);
    JournalLayout.truncate(cut.file(), cut.position() + 6);
    Envelope late = messages.envelope("late@example.com");
    MessageContent lateContent = TestMessages.text("appended behind the gap");
    // What Chronicle's appender did next: a document at its old write position, past the cut.
    Bytes<?> record = Bytes.allocateElasticOnHeap();
    MessageCodec.writeMessage(
        record,
        late,
        null,
        ChronicleIndexes.NONE,
        lateContent.size(),
        JournalReader.crcOf(lateContent),
        ChronicleIndexes.NONE,
        0);
    record.write(lateContent.toByteArray());
    byte[] document = new byte[Integer.BYTES + (int) record.readRemaining()];
    java.nio.ByteBuffer.wrap(document)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN)
        .putInt((int) record.readRemaining())
        .put(record.toByteArray());
    JournalLayout.overwrite(cut.file(), records.getLast().end() + 64 & ~3L, document);
    stored.put(late.id(), lateContent);
    Set<MessageId> expected =
        records.stream()
            .filter(r -> r.type() == 'M' && r.end() <= cut.position())
            .map(r -> new MessageId(r.messageId()))
            .filter(id -> !id.equals(delivered))
            .collect(Collectors.toSet());
    expected.add(late.id());

    assertRecoversExactly(expected);
  }

  @Test
  void aZeroedRangeCostsOnlyTheRecordsInIt() {
    List<JournalLayout.Record> records = JournalLayout.records(dir.resolve("messages"));
    JournalLayout.Record first = records.get(12);
    JournalLayout.Record last = records.get(14);
    JournalLayout.overwrite(
        first.file(), first.position(), new byte[(int) (last.end() - first.position())]);
    Set<MessageId> expected = undelivered();
    for (int i = 12; i <= 14; i++) {
      if (records.get(i).type() == 'M') {
        expected.remove(new MessageId(records.get(i).messageId()));
      }
    }

    assertRecoversExactly(expected);
  }

  @Test
  void aFlippedEnvelopeQuarantinesThatMessageOnly() throws IOException {
    MessageId victim = ids().get(5);
    JournalLayout.flip(messagesFile(), messageRecord(victim).payload() + 30, 8);
    Set<MessageId> expected = undelivered();
    expected.remove(victim);

    assertRecoversExactly(expected);
    assertThat(quarantinedRanges()).isEqualTo(1);
  }

  @Test
  void flippedContentFailsTheMessageSoItsSenderIsTold() {
    MessageId victim = ids().get(9);
    JournalLayout.Record record = messageRecord(victim);
    JournalLayout.flip(record.file(), record.end() - 3, 2);

    try (ChronicleSpool spool = ChronicleSpool.open(options())) {
      QueuedMessage failed = spool.find(victim).orElseThrow();
      assertThat(failed.recipients())
          .allSatisfy(
              s -> {
                assertThat(s.state()).isEqualTo(RecipientState.FAILED);
                assertThat(s.lastReply()).isEqualTo(SpoolRepair.CONTENT_LOST_REPLY);
              });
    }
  }

  @Test
  void flippedChunkContentIsFoundByCheckAndFailedByRepair() {
    MessageId large = ids().get(LARGE);
    JournalLayout.Record chunk =
        JournalLayout.records(dir.resolve("messages")).stream()
            .filter(r -> r.type() == 'C' && r.messageId().equals(large.value()))
            .toList()
            .get(1);
    JournalLayout.flip(chunk.file(), chunk.payload() + 5000, 8);

    SpoolCheckReport found = ChronicleSpool.check(dir, false, clock);
    assertThat(found.findings())
        .extracting(SpoolFinding::kind)
        .containsExactly(SpoolFinding.Kind.DAMAGED_CONTENT);
    SpoolCheckReport repaired = ChronicleSpool.check(dir, true, clock);
    assertThat(repaired.repair()).contains("1 with lost content");

    try (ChronicleSpool spool = ChronicleSpool.open(options())) {
      assertThat(spool.find(large).orElseThrow().recipients())
          .allSatisfy(s -> assertThat(s.state()).isEqualTo(RecipientState.FAILED));
      assertThat(spool.pending()).hasSize(MESSAGES - 1);
    }
  }

  @Test
  void aFlippedEventIsSkippedAndItsRecipientIsTriedAgain() {
    JournalLayout.Record event = JournalLayout.records(dir.resolve("events")).getFirst();
    JournalLayout.flip(event.file(), event.payload() + 26, 8);

    try (ChronicleSpool spool = ChronicleSpool.open(options())) {
      QueuedMessage message = spool.find(delivered).orElseThrow();
      assertThat(message.recipients())
          .extracting(s -> s.state())
          .containsExactlyInAnyOrder(RecipientState.PENDING, RecipientState.DELIVERED);
      assertThat(spool.find(deferred).orElseThrow().recipients().getFirst().state())
          .isEqualTo(RecipientState.DEFERRED);
    }
  }

  @Test
  void junkAndZeroFilesNamedAsCyclesAreMovedAsideWithoutHidingTheQueue() throws IOException {
    Path messagesDir = dir.resolve("messages");
    Path older = messagesDir.resolve(cycleName(-3));
    Path newer = messagesDir.resolve(cycleName(+3));
    Files.write(older, "this is not a journal".repeat(500).getBytes());
    Files.write(newer, new byte[1 << 16]);
    Files.write(dir.resolve("events").resolve(cycleName(+2)), new byte[] {1, 2, 3});
    Files.write(messagesDir.resolve("notes.txt"), "stray".getBytes());

    assertThat(ChronicleSpool.check(dir, false, clock).findings())
        .extracting(SpoolFinding::kind)
        .containsExactlyInAnyOrder(
            SpoolFinding.Kind.INVALID_CYCLE,
            SpoolFinding.Kind.INVALID_CYCLE,
            SpoolFinding.Kind.INVALID_CYCLE,
            SpoolFinding.Kind.STRAY_FILE);
    assertRecoversExactly(undelivered());
    assertThat(older).doesNotExist();
    assertThat(newer).doesNotExist();
    try (Stream<Path> aside = Files.walk(dir.resolve("quarantine"))) {
      assertThat(aside.map(p -> p.getFileName().toString()))
          .contains(older.getFileName().toString(), newer.getFileName().toString(), "notes.txt");
    }
  }

  @Test
  void deletedChronicleMetadataIsRebuiltByChronicle() throws IOException {
    Files.delete(dir.resolve("messages").resolve("metadata.cq4t"));
    Files.delete(dir.resolve("events").resolve("metadata.cq4t"));

    assertRecoversExactly(undelivered());
  }

  @Test
  void aLostEventsJournalStopsTheStartUntilAnOperatorAcceptsTheRepeats() throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("events"))) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }

    assertThatThrownBy(() -> ChronicleSpool.open(options()))
        .isInstanceOf(SpoolException.class)
        .hasMessageContaining("spool check --repair")
        .hasMessageNotContaining("\n");
    SpoolCheckReport report = ChronicleSpool.check(dir, true, clock);
    assertThat(report.findings())
        .extracting(SpoolFinding::kind)
        .containsExactly(SpoolFinding.Kind.EVENTS_JOURNAL_LOST);
    assertThat(report.findings().getFirst().detail()).contains("may be repeated");

    stored.keySet().removeIf(id -> false);
    assertRecoversExactly(Set.copyOf(ids()));
  }

  @Test
  void anUnfinishedRebuildIsDiscardedAndRedone() throws IOException {
    Files.createDirectories(dir.resolve("rebuild").resolve("messages"));
    Files.write(dir.resolve("rebuild").resolve("messages").resolve("junk.cq4"), new byte[10]);

    assertRecoversExactly(undelivered());
    assertThat(dir.resolve("rebuild")).doesNotExist();
  }

  @Test
  void aRebuildMarkedCompleteIsSwappedInByTheNextOpen() throws IOException {
    MessageId victim = ids().get(5);
    JournalLayout.flip(messagesFile(), messageRecord(victim).payload() + 30, 8);
    ChronicleSpool.check(dir, true, clock); // repairs: new journals in place, old ones quarantined
    // Put things back as a crash right after writing rebuild/COMPLETE would have left them.
    Path quarantine;
    try (Stream<Path> stamps = Files.list(dir.resolve("quarantine"))) {
      quarantine = stamps.findFirst().orElseThrow();
    }
    Path rebuild = Files.createDirectories(dir.resolve("rebuild"));
    for (String journal : List.of("messages", "events")) {
      Files.move(dir.resolve(journal), rebuild.resolve(journal));
      Files.move(quarantine.resolve("journals").resolve(journal), dir.resolve(journal));
    }
    Files.writeString(rebuild.resolve("COMPLETE"), dir.relativize(quarantine).toString());
    Set<MessageId> expected = undelivered();
    expected.remove(victim);

    assertRecoversExactly(expected);
    assertThat(dir.resolve("rebuild")).doesNotExist();
    assertThat(quarantine.resolve("journals").resolve("messages")).exists();
  }

  private String cycleName(int hoursFromNow) {
    var rollCycle = RollCycles.FAST_HOURLY;
    int cycle = rollCycle.toCycle(rollCycle.toIndex((int) (START.getEpochSecond() / 3600), 0))
        + hoursFromNow;
    var names =
        new net.openhft.chronicle.queue.impl.RollingResourcesCache(
            rollCycle, 0, name -> new java.io.File(name + ".cq4"), java.io.File::getName);
    return names.resourceFor(cycle).path.getName();
  }
}
