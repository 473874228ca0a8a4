package io.vireo.queue.chronicle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.queue.BodyType;
import io.vireo.queue.Durability;
import io.vireo.queue.Envelope;
import io.vireo.queue.MessageContent;
import io.vireo.queue.MessageId;
import io.vireo.queue.Notify;
import io.vireo.queue.QueuedMessage;
import io.vireo.queue.Recipient;
import io.vireo.queue.RecipientState;
import io.vireo.queue.RecipientStatus;
import io.vireo.queue.Ret;
import io.vireo.queue.SpoolEvent;
import io.vireo.queue.SpoolException;
import io.vireo.queue.SpoolFullException;
import io.vireo.queue.SpoolOptions;
import io.vireo.queue.StoredMessage;
import io.vireo.queue.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class ChronicleSpoolTest {
  private static final Instant START = Instant.parse("2026-03-02T10:15:00Z");

  @TempDir Path dir;

  private final ManualClock clock = new ManualClock(START);
  private final TestMessages messages = new TestMessages(clock);

  private SpoolOptions options(Durability durability) {
    return new SpoolOptions(dir, durability, clock).withMaintenancePeriod(Duration.ZERO);
  }

  private ChronicleSpool open() {
    return ChronicleSpool.open(options(Durability.GROUP));
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(
      ints = {
        0,
        1,
        4096,
        MessageContent.MAX_CHUNK,
        MessageContent.MAX_CHUNK + 1,
        3 * MessageContent.MAX_CHUNK + 17
      })
  void readsBackExactlyTheBytesStored(int size) {
    MessageContent content = TestMessages.random(size, size);
    Envelope envelope = messages.envelope("rcpt@example.com");
    // No content cache: the bytes come back from the journal itself.
    try (ChronicleSpool spool =
        ChronicleSpool.open(options(Durability.GROUP).withContentCacheBytes(0))) {
      spool.store(envelope, content);

      StoredMessage stored = spool.read(envelope.id()).orElseThrow();

      assertThat(stored.envelope()).isEqualTo(envelope);
      assertThat(stored.content().size()).isEqualTo(size);
      assertThat(stored.content().toByteArray()).isEqualTo(content.toByteArray());
    }
  }

  @Test
  void aJustStoredMessageIsServedFromMemoryUntilItsLastRecipientIsFinal() {
    Envelope envelope = messages.envelope("a@example.com", "b@example.com");
    MessageContent content = TestMessages.random(4096, 7);
    try (ChronicleSpool spool = open()) {
      spool.store(envelope, content);
      assertThat(spool.cachedContents()).isEqualTo(1);
      assertThat(spool.read(envelope.id()).orElseThrow().content()).isSameAs(content);

      spool.record(
          new SpoolEvent.Delivered(
              envelope.id(), "a@example.com", clock.instant(), "mx.example.com", "250 ok"));
      assertThat(spool.cachedContents()).isEqualTo(1);
      // A failed recipient still owes a bounce, which may quote the content.
      spool.record(
          new SpoolEvent.Failed(envelope.id(), "b@example.com", clock.instant(), "550 5.1.1 no"));
      assertThat(spool.cachedContents()).isEqualTo(1);
      spool.record(
          new SpoolEvent.Bounced(
              envelope.id(), "b@example.com", clock.instant(), messages.nextId()));
      assertThat(spool.cachedContents()).isZero();

      // Finished, still readable: now from the journal, byte for byte.
      StoredMessage stored = spool.read(envelope.id()).orElseThrow();
      assertThat(stored.content()).isNotSameAs(content);
      assertThat(stored.content().toByteArray()).isEqualTo(content.toByteArray());
    }
  }

  @Test
  void everyEnvelopeFieldSurvivesTheJournal() {
    Envelope envelope =
        new Envelope(
            messages.nextId(),
            "bounces+tag@example.org",
            List.of(
                new Recipient(
                    "a@example.com",
                    Set.of(Notify.SUCCESS, Notify.FAILURE, Notify.DELAY),
                    "rfc822;A@example.com"),
                new Recipient("b@example.net", Set.of(Notify.NEVER), null),
                new Recipient("用户@例子.广告", Set.of(), "utf-8;用户@例子.广告")),
            BodyType.BINARY_MIME,
            true,
            Ret.HDRS,
            "QQ314159",
            Instant.parse("2026-03-02T10:14:59.123456789Z"),
            "2001:db8::25",
            "mail.client.example");
    try (ChronicleSpool spool = open()) {
      spool.store(envelope, TestMessages.text("Subject: hi\r\n\r\nbody\r\n"));
    }
    try (ChronicleSpool spool = open()) {
      assertThat(spool.read(envelope.id()).orElseThrow().envelope()).isEqualTo(envelope);
      QueuedMessage queued = spool.find(envelope.id()).orElseThrow();
      assertThat(queued.recipients())
          .allSatisfy(
              status -> {
                assertThat(status.state()).isEqualTo(RecipientState.PENDING);
                assertThat(status.attempts()).isZero();
                assertThat(status.nextAttempt()).isEqualTo(envelope.arrival());
              });
    }
  }

  @Test
  void fortyMegabyteMessageRoundTrips() {
    long size = 40L * 1024 * 1024 + 123;
    Envelope envelope = messages.envelope("big@example.com");
    byte[] expected;
    try (ChronicleSpool spool = open()) {
      MessageContent content = TestMessages.random(size, 40);
      expected = TestMessages.sha256(content);
      spool.store(envelope, content);
    }
    // Reopened, so the content comes from the files and not from anything the writer held.
    try (ChronicleSpool spool = open()) {
      MessageContent read = spool.read(envelope.id()).orElseThrow().content();
      assertThat(read.size()).isEqualTo(size);
      assertThat(read.chunkCount()).isEqualTo(41);
      assertThat(TestMessages.sha256(read)).isEqualTo(expected);
      assertThat(spool.find(envelope.id()).orElseThrow().size()).isEqualTo(size);
    }
  }

  @Test
  void twoHundredVirtualThreadsStoreConcurrently() throws Exception {
    List<Envelope> stored = new ArrayList<>();
    try (ChronicleSpool spool = open();
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Envelope>> futures = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        int n = i;
        futures.add(
            threads.submit(
                () -> {
                  Envelope envelope = messages.envelope("r" + n + "@example.com");
                  spool.store(envelope, TestMessages.random(1000 + n, n));
                  return envelope;
                }));
      }
      for (Future<Envelope> future : futures) {
        stored.add(future.get(60, TimeUnit.SECONDS));
      }
      assertThat(spool.pending()).hasSize(200);
      for (int i = 0; i < 200; i++) {
        Envelope envelope = stored.get(i);
        assertThat(spool.read(envelope.id()).orElseThrow().content().toByteArray())
            .isEqualTo(TestMessages.random(1000 + i, i).toByteArray());
      }
    }
    try (ChronicleSpool spool = open()) {
      assertThat(spool.pending())
          .extracting(QueuedMessage::id)
          .containsExactlyInAnyOrderElementsOf(stored.stream().map(Envelope::id).toList());
    }
  }

  @ParameterizedTest
  @EnumSource(Durability.class)
  void everyDurabilityModeStoresRecordsAndRecovers(Durability durability) {
    Envelope first = messages.envelope("a@example.com", "b@example.com");
    Envelope second = messages.envelope("c@example.com");
    try (ChronicleSpool spool = ChronicleSpool.open(options(durability))) {
      spool.store(first, TestMessages.text("one"));
      spool.store(second, TestMessages.random(2 * MessageContent.MAX_CHUNK, 2));
      spool.record(
          new SpoolEvent.Delivered(
              first.id(), "a@example.com", clock.instant(), "mx.example.com", "250 ok"));
      spool.record(
          new SpoolEvent.Delivered(
              second.id(), "c@example.com", clock.instant(), "mx.example.com", "250 ok"));
    }
    try (ChronicleSpool spool = ChronicleSpool.open(options(durability))) {
      assertThat(spool.pending()).extracting(QueuedMessage::id).containsExactly(first.id());
      assertThat(spool.read(second.id()).orElseThrow().content().size())
          .isEqualTo(2L * MessageContent.MAX_CHUNK);
      assertThat(spool.find(second.id()).orElseThrow().isFinal()).isTrue();
    }
  }

  @Test
  void eventsDriveEachRecipientThroughItsStates() {
    Envelope envelope =
        messages.envelope("later@example.com", "never@example.com", "ok@example.com");
    MessageId id = envelope.id();
    Instant retryAt = START.plusSeconds(600);
    try (ChronicleSpool spool = open()) {
      spool.store(envelope, TestMessages.text("x"));
      spool.record(
          new SpoolEvent.Deferred(id, "later@example.com", START, retryAt, "451 4.3.0 try later"));
      spool.record(
          new SpoolEvent.Deferred(
              id, "later@example.com", START, retryAt.plusSeconds(60), "421 busy"));
      spool.record(new SpoolEvent.Failed(id, "never@example.com", START, "550 5.1.1 no such user"));
      spool.record(
          new SpoolEvent.Delivered(
              id, "ok@example.com", START, "mx.example.com", "250 2.0.0 queued"));

      assertStates(spool.find(id).orElseThrow());
      // A delivered recipient stays delivered: the late event is not even journaled.
      spool.record(new SpoolEvent.Deferred(id, "ok@example.com", START, retryAt, "451 late"));
      assertStates(spool.find(id).orElseThrow());
    }
    try (ChronicleSpool spool = open()) {
      QueuedMessage recovered = spool.find(id).orElseThrow();
      assertStates(recovered);
      assertThat(spool.pending()).extracting(QueuedMessage::id).containsExactly(id);

      spool.record(new SpoolEvent.Bounced(id, "never@example.com", START, messages.nextId()));
      spool.record(
          new SpoolEvent.Delivered(id, "later@example.com", START, "mx.example.com", "250 ok"));

      QueuedMessage done = spool.find(id).orElseThrow();
      assertThat(done.isFinal()).isTrue();
      assertThat(done.recipients().get(1).state()).isEqualTo(RecipientState.BOUNCED);
      assertThat(done.recipients().get(1).lastReply()).isEqualTo("550 5.1.1 no such user");
      assertThat(done.recipients().get(0).attempts()).isEqualTo(3);
      assertThat(spool.pending()).isEmpty();
    }
    try (ChronicleSpool spool = open()) {
      assertThat(spool.pending()).isEmpty();
      assertThat(spool.find(id).orElseThrow().isFinal()).isTrue();
    }
  }

  private static void assertStates(QueuedMessage message) {
    var later = message.recipients().get(0);
    assertThat(later.state()).isEqualTo(RecipientState.DEFERRED);
    assertThat(later.attempts()).isEqualTo(2);
    assertThat(later.nextAttempt()).isEqualTo(START.plusSeconds(660));
    assertThat(later.lastReply()).isEqualTo("421 busy");
    var never = message.recipients().get(1);
    assertThat(never.state()).isEqualTo(RecipientState.FAILED);
    assertThat(never.attempts()).isEqualTo(1);
    assertThat(never.lastReply()).isEqualTo("550 5.1.1 no such user");
    var ok = message.recipients().get(2);
    assertThat(ok.state()).isEqualTo(RecipientState.DELIVERED);
    assertThat(ok.nextAttempt()).isNull();
    assertThat(message.isFinal()).isFalse();
  }

  @Test
  void eventsForUnknownMessagesOrRecipientsAreRejected() {
    Envelope envelope = messages.envelope("a@example.com");
    try (ChronicleSpool spool = open()) {
      spool.store(envelope, TestMessages.text("x"));
      assertThatThrownBy(
              () ->
                  spool.record(
                      new SpoolEvent.Failed(messages.nextId(), "a@example.com", START, "550")))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(
              () ->
                  spool.record(new SpoolEvent.Failed(envelope.id(), "b@example.com", START, "550")))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void pendingListsOldestArrivalFirst() {
    try (ChronicleSpool spool = open()) {
      List<MessageId> order = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        Envelope envelope = messages.envelope("r@example.com");
        order.add(envelope.id());
        spool.store(envelope, TestMessages.text("m" + i));
        clock.advance(Duration.ofSeconds(1));
      }
      assertThat(spool.pending()).extracting(QueuedMessage::id).containsExactlyElementsOf(order);
    }
  }

  @Test
  void findsFinishedMessagesStillInTheJournalAfterRestart() {
    List<Envelope> finished = new ArrayList<>();
    try (ChronicleSpool spool = open()) {
      for (int i = 0; i < 3; i++) {
        Envelope envelope = messages.envelope("r@example.com");
        spool.store(envelope, TestMessages.text("m" + i));
        spool.record(
            new SpoolEvent.Delivered(envelope.id(), "r@example.com", START, "mx", "250 ok"));
        finished.add(envelope);
      }
    }
    try (ChronicleSpool spool = open()) {
      for (Envelope envelope : finished) {
        assertThat(spool.find(envelope.id()))
            .hasValueSatisfying(m -> assertThat(m.isFinal()).isTrue());
      }
    }
    // Past the in-memory set of recently finished messages, lookups scan the journals themselves.
    try (Journals journals =
        Journals.open(SpoolDirectory.existing(dir), System::currentTimeMillis, true)) {
      JournalReader reader = new JournalReader(journals);
      assertThat(reader.scanFor(finished.get(1).id()))
          .hasValueSatisfying(entry -> assertThat(entry.isFinal()).isTrue());
      assertThat(reader.scanFor(messages.nextId())).isEmpty();
    }
  }

  @Test
  void readOnlyViewWorksBesideTheWriter() {
    Envelope envelope = messages.envelope("a@example.com", "b@example.com");
    try (ChronicleSpool writer = open()) {
      writer.store(envelope, TestMessages.random(3 * MessageContent.MAX_CHUNK, 3));
      writer.record(
          new SpoolEvent.Deferred(
              envelope.id(), "a@example.com", START, START.plusSeconds(60), "451"));

      try (ChronicleSpool reader = ChronicleSpool.openReadOnly(dir)) {
        assertThat(reader.isReadOnly()).isTrue();
        assertThat(reader.pending()).extracting(QueuedMessage::id).containsExactly(envelope.id());
        assertThat(reader.find(envelope.id()).orElseThrow().recipients().get(0).state())
            .isEqualTo(RecipientState.DEFERRED);
        assertThat(reader.read(envelope.id()).orElseThrow().content().toByteArray())
            .isEqualTo(TestMessages.random(3 * MessageContent.MAX_CHUNK, 3).toByteArray());
        assertThatThrownBy(
                () -> reader.store(messages.envelope("x@example.com"), TestMessages.text("x")))
            .isInstanceOf(SpoolException.class)
            .hasMessageContaining("read-only");
        assertThatThrownBy(
                () ->
                    reader.record(
                        new SpoolEvent.Failed(envelope.id(), "b@example.com", START, "550")))
            .isInstanceOf(SpoolException.class);
      }
      // The writer is unaffected by the reader coming and going.
      writer.store(messages.envelope("c@example.com"), TestMessages.text("after"));
      assertThat(writer.pending()).hasSize(2);
    }
  }

  @Test
  void readOnlyOpenOfAMissingSpoolFails() {
    assertThatThrownBy(() -> ChronicleSpool.openReadOnly(dir.resolve("nothing-here")))
        .isInstanceOf(SpoolException.class)
        .hasMessageContaining("no spool");
  }

  @Test
  void aSecondWriterIsRefused() {
    try (ChronicleSpool spool = open()) {
      assertThatThrownBy(this::open)
          .isInstanceOf(SpoolException.class)
          .hasMessageContaining("already open");
      spool.store(messages.envelope("a@example.com"), TestMessages.text("still fine"));
    }
  }

  @Test
  void refusesNewMailBelowTheFreeSpaceFloor() {
    SpoolOptions options = options(Durability.GROUP).withMinFreeBytes(Long.MAX_VALUE / 2);
    Envelope envelope = messages.envelope("a@example.com");
    try (ChronicleSpool spool = ChronicleSpool.open(options)) {
      assertThatThrownBy(() -> spool.store(envelope, TestMessages.text("x")))
          .isInstanceOf(SpoolFullException.class)
          .hasMessageContaining("usable");
      assertThat(spool.find(envelope.id())).isEmpty();
    }
  }

  @Test
  void aFailedWriteLeavesTheWriterServingAndEarlierMessagesIntact() {
    Envelope before = messages.envelope("a@example.com");
    // A HELO name beyond what a journal record may hold: the writer refuses it, then carries on.
    Envelope oversized =
        new Envelope(
            messages.nextId(),
            "s@example.org",
            List.of(Recipient.of("b@example.com")),
            BodyType.SEVEN_BIT,
            false,
            Ret.UNSPECIFIED,
            null,
            START,
            "127.0.0.1",
            "h".repeat(17 << 20));
    Envelope after = messages.envelope("c@example.com");
    try (ChronicleSpool spool = open()) {
      spool.store(before, TestMessages.text("before"));
      assertThatThrownBy(() -> spool.store(oversized, TestMessages.text("x")))
          .isInstanceOf(SpoolException.class)
          .hasMessageContaining(oversized.id().value());
      spool.store(after, TestMessages.text("after"));
      assertThat(spool.pending())
          .extracting(QueuedMessage::id)
          .containsExactly(before.id(), after.id());
    }
    try (ChronicleSpool spool = open()) {
      assertThat(spool.pending())
          .extracting(QueuedMessage::id)
          .containsExactly(before.id(), after.id());
      assertThat(spool.read(before.id()).orElseThrow().content().toByteArray())
          .isEqualTo("before".getBytes());
    }
  }

  @Test
  void closeIsIdempotentAndRefusesLaterWrites() {
    ChronicleSpool spool = open();
    spool.store(messages.envelope("a@example.com"), TestMessages.text("x"));
    spool.close();
    spool.close();
    assertThatThrownBy(
            () -> spool.store(messages.envelope("b@example.com"), TestMessages.text("y")))
        .isInstanceOf(SpoolException.class)
        .hasMessageContaining("closed");
    try (ChronicleSpool reopened = open()) {
      assertThat(reopened.pending()).hasSize(1);
    }
  }

  @Test
  void concurrentWritersAllSurviveCloseRacingThem() throws Exception {
    ConcurrentLinkedQueue<MessageId> acknowledged = new ConcurrentLinkedQueue<>();
    ChronicleSpool spool = open();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < 50; i++) {
        threads.submit(
            () -> {
              for (int n = 0; n < 20; n++) {
                Envelope envelope = messages.envelope("r@example.com");
                try {
                  spool.store(envelope, TestMessages.text("m"));
                  acknowledged.add(envelope.id());
                } catch (SpoolException e) {
                  return;
                }
              }
            });
      }
      // Close while writes are in flight: every acknowledged one must be there after reopening.
      spool.close();
    }
    try (ChronicleSpool reopened = open()) {
      assertThat(reopened.pending()).extracting(QueuedMessage::id).containsAll(acknowledged);
    }
  }

  @Test
  void anEventRecordedEventuallyIsOnDiskOnceTheSpoolCloses() {
    Envelope envelope = messages.envelope("a@example.com", "b@example.com");
    try (ChronicleSpool spool = open()) {
      spool.store(envelope, TestMessages.text("Subject: x\r\n\r\nx\r\n"));
      spool.recordEventually(
          new SpoolEvent.Delivered(envelope.id(), "a@example.com", START, "mx[127.0.0.1]:25", "250 ok"));
    }
    try (ChronicleSpool reopened = open()) {
      assertThat(reopened.find(envelope.id()).orElseThrow().recipients())
          .extracting(RecipientStatus::state)
          .containsExactly(RecipientState.DELIVERED, RecipientState.PENDING);
    }
  }

  @Test
  void anEventRecordedEventuallyIsInTheJournalOnceAwaited() {
    Envelope envelope = messages.envelope("a@example.com");
    try (ChronicleSpool writer = open()) {
      writer.store(envelope, TestMessages.text("Subject: x\r\n\r\nx\r\n"));
      writer.recordEventually(
          new SpoolEvent.Delivered(
              envelope.id(), "a@example.com", START, "mx[127.0.0.1]:25", "250"));

      writer.awaitRecordedEventually();

      // A second view reads only what the journal holds, not the writer's memory.
      try (ChronicleSpool reader = ChronicleSpool.openReadOnly(dir)) {
        assertThat(reader.pending()).isEmpty();
      }
    }
  }
}
