package io.vireo.queue.chronicle;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.queue.Durability;
import io.vireo.queue.Envelope;
import io.vireo.queue.MessageId;
import io.vireo.queue.QueuedMessage;
import io.vireo.queue.RecipientState;
import io.vireo.queue.RecipientStatus;
import io.vireo.queue.SpoolEvent;
import io.vireo.queue.SpoolOptions;
import io.vireo.queue.testing.ManualClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import net.openhft.chronicle.bytes.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's events ({@code vireo queue hold}, {@code release}, {@code delete}): their state
 * changes, that they survive a restart and a carry-forward by retention, that they are written as
 * record version 3 while everything else stays version 2, that {@code spool check} finds such a
 * spool sound, and the id-ordered pages a listing walks.
 */
class OperatorEventsTest {
  private static final Instant START = Instant.parse("2026-03-02T10:00:00Z");
  private static final Duration CYCLE = Duration.ofHours(1);

  @TempDir Path dir;

  private final ManualClock clock = new ManualClock(START);
  private final TestMessages messages = new TestMessages(clock);

  private ChronicleSpool open() {
    return ChronicleSpool.open(
        new SpoolOptions(dir, Durability.GROUP, clock)
            .withRollCycle(CYCLE)
            .withMaintenancePeriod(Duration.ZERO));
  }

  private static RecipientStatus status(ChronicleSpool spool, MessageId id, int index) {
    return spool.find(id).orElseThrow().recipients().get(index);
  }

  @Test
  void holdReleaseAndDeleteChangeStatesDurably() {
    Envelope tried = messages.envelope("tried@example.com", "fresh@example.com");
    Envelope gone = messages.envelope("gone@example.com");
    MessageId id = tried.id();
    try (ChronicleSpool spool = open()) {
      spool.store(tried, TestMessages.text("held"));
      spool.store(gone, TestMessages.text("deleted"));
      spool.record(
          new SpoolEvent.Deferred(
              id, "tried@example.com", START, START.plusSeconds(300), "451 4.3.0 later"));
      spool.record(new SpoolEvent.Held(id, "tried@example.com", START));
      spool.record(new SpoolEvent.Held(id, "fresh@example.com", START));
      // An attempt that was under way when it was held: counted, still held.
      spool.record(
          new SpoolEvent.Deferred(
              id, "tried@example.com", START, START.plusSeconds(600), "451 4.3.0 again"));
      spool.record(new SpoolEvent.Deleted(gone.id(), "gone@example.com", START));

      RecipientStatus held = status(spool, id, 0);
      assertThat(held.state()).isEqualTo(RecipientState.HELD);
      assertThat(held.attempts()).isEqualTo(2);
      assertThat(held.nextAttempt()).isNull();
      assertThat(held.lastReply()).isEqualTo("451 4.3.0 again");
      assertThat(spool.find(gone.id()).orElseThrow().isFinal()).isTrue();
      assertThat(spool.pending()).extracting(QueuedMessage::id).containsExactly(id);
    }
    clock.advance(Duration.ofMinutes(5));
    try (ChronicleSpool spool = open()) {
      assertThat(status(spool, id, 0).state()).isEqualTo(RecipientState.HELD);
      assertThat(status(spool, id, 1).state()).isEqualTo(RecipientState.HELD);
      assertThat(spool.find(gone.id()).orElseThrow().recipients().getFirst().state())
          .isEqualTo(RecipientState.DELETED);
      Instant releasedAt = clock.instant();
      spool.record(new SpoolEvent.Released(id, "tried@example.com", releasedAt));
      spool.record(new SpoolEvent.Released(id, "fresh@example.com", releasedAt));
      // A second release changes nothing; neither does a delete of a final recipient.
      spool.record(new SpoolEvent.Released(id, "fresh@example.com", releasedAt.plusSeconds(9)));

      RecipientStatus tried2 = status(spool, id, 0);
      assertThat(tried2.state()).isEqualTo(RecipientState.DEFERRED);
      assertThat(tried2.attempts()).isEqualTo(2);
      assertThat(tried2.nextAttempt()).isEqualTo(releasedAt);
      RecipientStatus fresh = status(spool, id, 1);
      assertThat(fresh.state()).isEqualTo(RecipientState.PENDING);
      assertThat(fresh.nextAttempt()).isEqualTo(releasedAt);
    }
    try (ChronicleSpool spool = open()) {
      assertThat(status(spool, id, 1).state()).isEqualTo(RecipientState.PENDING);
    }
    assertThat(ChronicleSpool.check(dir, false, Clock.systemUTC()).findings()).isEmpty();
  }

  @Test
  void aFailedRecipientOwesItsBounceAndCannotBeHeld() {
    Envelope envelope = messages.envelope("no@example.com");
    try (ChronicleSpool spool = open()) {
      spool.store(envelope, TestMessages.text("x"));
      spool.record(new SpoolEvent.Failed(envelope.id(), "no@example.com", START, "550 5.1.1 no"));
      spool.record(new SpoolEvent.Held(envelope.id(), "no@example.com", START));
      assertThat(status(spool, envelope.id(), 0).state()).isEqualTo(RecipientState.FAILED);
    }
  }

  @Test
  void operatorRecordsAreVersionThreeAndOthersStayVersionTwo() throws IOException {
    Envelope envelope = messages.envelope("a@example.com", "b@example.com");
    try (ChronicleSpool spool = open()) {
      spool.store(envelope, TestMessages.text("x"));
      spool.record(
          new SpoolEvent.Deferred(
              envelope.id(), "a@example.com", START, START.plusSeconds(60), "451 later"));
      spool.record(new SpoolEvent.Held(envelope.id(), "b@example.com", START));
    }
    List<Integer> versions = new ArrayList<>();
    for (Path file : cycleFiles("events")) {
      try (FileWindow window = new FileWindow(file)) {
      CycleFileWalker.walk(
          window,
          new CycleFileWalker.Visitor() {
            @Override
            public void record(long position, long sequence, Bytes<?> payload) {
              versions.add(payload.peekUnsignedByte(payload.readPosition() + 1));
            }

            @Override
            public boolean decodes(Bytes<?> payload) {
              return true;
            }

            @Override
            public void damaged(long from, long to, String what) {
              throw new AssertionError(what);
            }
          });
      }
    }
    assertThat(versions).containsExactly(2, 3);
  }

  @Test
  void aHeldMessageCarriedForwardByRetentionStaysHeld() throws IOException {
    Envelope held = messages.envelope("h@example.com");
    Envelope done1 = messages.envelope("d1@example.com");
    Envelope done2 = messages.envelope("d2@example.com");
    try (ChronicleSpool spool = open()) {
      spool.store(held, TestMessages.text("held"));
      spool.store(done1, TestMessages.text("1"));
      spool.store(done2, TestMessages.text("2"));
      spool.record(new SpoolEvent.Held(held.id(), "h@example.com", START));
      spool.record(new SpoolEvent.Deleted(done1.id(), "d1@example.com", START));
      spool.record(new SpoolEvent.Deleted(done2.id(), "d2@example.com", START));
      clock.advance(CYCLE);
      spool.store(messages.envelope("later@example.com"), TestMessages.text("later"));
      spool.maintain();
      // The old file went: the held message now lives in a version-3 snapshot.
      assertThat(cycleFiles("messages")).hasSize(1);
    }
    try (ChronicleSpool spool = open()) {
      assertThat(status(spool, held.id(), 0).state()).isEqualTo(RecipientState.HELD);
    }
    assertThat(ChronicleSpool.check(dir, false, Clock.systemUTC()).findings()).isEmpty();
  }

  @Test
  void pagesWalkThePendingMessagesInIdOrder() {
    try (ChronicleSpool spool = open()) {
      List<MessageId> stored = new ArrayList<>();
      for (int i = 0; i < 25; i++) {
        Envelope envelope = messages.envelope("r" + i + "@example.com");
        spool.store(envelope, TestMessages.text("m" + i));
        stored.add(envelope.id());
      }
      spool.record(new SpoolEvent.Deleted(stored.get(3), "r3@example.com", START));
      List<MessageId> walked = new ArrayList<>();
      MessageId after = null;
      for (List<QueuedMessage> page = spool.pendingPage(null, 7);
          !page.isEmpty();
          page = spool.pendingPage(after, 7)) {
        assertThat(page.size()).isLessThanOrEqualTo(7);
        page.forEach(m -> walked.add(m.id()));
        after = page.getLast().id();
      }
      List<MessageId> expected = new ArrayList<>(stored);
      expected.remove(3);
      assertThat(walked).containsExactlyElementsOf(expected.stream().sorted().toList());
    }
  }

  private List<Path> cycleFiles(String journal) throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve(journal))) {
      return files.filter(f -> f.getFileName().toString().endsWith(".cq4")).sorted().toList();
    }
  }
}
