package io.vireo.queue.chronicle;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.queue.Durability;
import io.vireo.queue.Envelope;
import io.vireo.queue.MessageContent;
import io.vireo.queue.QueuedMessage;
import io.vireo.queue.RecipientState;
import io.vireo.queue.RecipientStatus;
import io.vireo.queue.SpoolEvent;
import io.vireo.queue.SpoolOptions;
import io.vireo.queue.testing.ManualClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retention with a hand-driven clock: each {@code advance(1h)} starts a new journal file. */
class RetentionTest {
  private static final Duration CYCLE = Duration.ofHours(1);

  @TempDir Path dir;
  @TempDir Path backup;

  private final ManualClock clock = new ManualClock(Instant.parse("2026-03-02T10:00:00Z"));
  private final TestMessages messages = new TestMessages(clock);

  private ChronicleSpool open() {
    return ChronicleSpool.open(
        new SpoolOptions(dir, Durability.GROUP, clock)
            .withRollCycle(CYCLE)
            .withMaintenancePeriod(Duration.ZERO));
  }

  @Test
  void deletesFilesWhoseMessagesAreAllFinished() throws IOException {
    Envelope a = messages.envelope("a@example.com");
    Envelope b = messages.envelope("b@example.com");
    Envelope c = messages.envelope("c@example.com");
    try (ChronicleSpool spool = open()) {
      spool.store(a, TestMessages.text("a"));
      spool.store(b, TestMessages.random(3 * MessageContent.MAX_CHUNK, 1));
      delivered(spool, a, "a@example.com");
      delivered(spool, b, "b@example.com");

      clock.advance(CYCLE);
      spool.store(c, TestMessages.text("c"));
      deferred(spool, c, "c@example.com");
      assertThat(journalFiles("messages")).hasSize(2);
      assertThat(journalFiles("events")).hasSize(2);

      spool.maintain();

      assertThat(journalFiles("messages")).hasSize(1);
      assertThat(journalFiles("events")).hasSize(1);
      assertThat(spool.find(a.id())).isEmpty();
      assertThat(spool.read(b.id())).isEmpty();
      assertThat(spool.pending()).extracting(QueuedMessage::id).containsExactly(c.id());
    }
    try (ChronicleSpool spool = open()) {
      QueuedMessage recovered = spool.find(c.id()).orElseThrow();
      assertThat(recovered.recipients().getFirst().state()).isEqualTo(RecipientState.DEFERRED);
      assertThat(recovered.recipients().getFirst().attempts()).isEqualTo(1);
      assertThat(spool.find(a.id())).isEmpty();
    }
  }

  @Test
  void carriesPendingMessagesForwardBeforeDeletingTheirFile() throws IOException {
    Envelope pending = messages.envelope("slow@example.com", "fast@example.com");
    MessageContent body = TestMessages.random(2 * MessageContent.MAX_CHUNK + 99, 7);
    byte[] expected = TestMessages.sha256(body);
    Envelope done1 = messages.envelope("x@example.com");
    Envelope done2 = messages.envelope("y@example.com");
    Envelope later = messages.envelope("z@example.com");
    try (ChronicleSpool spool = open()) {
      spool.store(pending, body);
      spool.store(done1, TestMessages.text("1"));
      spool.store(done2, TestMessages.text("2"));
      deferred(spool, pending, "slow@example.com");
      delivered(spool, pending, "fast@example.com");
      delivered(spool, done1, "x@example.com");
      delivered(spool, done2, "y@example.com");

      clock.advance(CYCLE);
      spool.store(later, TestMessages.text("later"));
      deferred(spool, later, "z@example.com");
      copyJournals(dir, backup);

      spool.maintain();

      // One of three messages in the old file was live: it moved and the file went, events
      // included.
      assertThat(journalFiles("messages")).hasSize(1);
      assertThat(journalFiles("events")).hasSize(1);
      assertCarried(spool, pending, expected, 1);

      deferred(spool, pending, "slow@example.com");
      assertCarried(spool, pending, expected, 2);
    }
    try (ChronicleSpool spool = open()) {
      assertCarried(spool, pending, expected, 2);
      assertThat(spool.pending())
          .extracting(QueuedMessage::id)
          .containsExactly(pending.id(), later.id());
    }
    // Put the deleted files back, as if the process had died between copying and deleting: the
    // message
    // now appears twice and its old events are back, yet the newest copy wins and nothing counts
    // twice.
    copyJournals(backup, dir);
    try (ChronicleSpool spool = open()) {
      assertCarried(spool, pending, expected, 2);
      assertThat(spool.pending())
          .extracting(QueuedMessage::id)
          .containsExactly(pending.id(), later.id());
    }
  }

  @Test
  void keepsAMostlyLiveFileUntilItIsOld() throws IOException {
    Envelope live1 = messages.envelope("a@example.com");
    Envelope live2 = messages.envelope("b@example.com");
    Envelope finished = messages.envelope("c@example.com");
    try (ChronicleSpool spool = open()) {
      spool.store(live1, TestMessages.text("1"));
      spool.store(live2, TestMessages.text("2"));
      spool.store(finished, TestMessages.text("3"));
      delivered(spool, finished, "c@example.com");

      clock.advance(CYCLE);
      spool.store(messages.envelope("d@example.com"), TestMessages.text("4"));
      spool.maintain();
      assertThat(journalFiles("messages")).hasSize(2);

      clock.advance(Retention.MAX_FILE_AGE);
      Envelope fresh = messages.envelope("e@example.com");
      spool.store(fresh, TestMessages.text("5"));
      deferred(spool, fresh, "e@example.com");
      spool.maintain();

      // Everything older than the current file was either finished or carried forward.
      assertThat(journalFiles("messages")).hasSize(1);
      assertThat(journalFiles("events")).hasSize(1);
      assertThat(spool.pending()).hasSize(4);
      assertThat(spool.read(live1.id()).orElseThrow().content().toByteArray())
          .isEqualTo("1".getBytes());
    }
    try (ChronicleSpool spool = open()) {
      assertThat(spool.pending()).hasSize(4);
      assertThat(spool.find(finished.id())).isEmpty();
    }
  }

  @Test
  void readersNeverMissAMessageRetentionIsMoving() throws Exception {
    List<Envelope> live = new ArrayList<>();
    try (ChronicleSpool spool = open()) {
      for (int i = 0; i < 60; i++) {
        Envelope envelope = messages.envelope("r@example.com");
        spool.store(
            envelope, TestMessages.random(i % 3 == 0 ? 2 * MessageContent.MAX_CHUNK : 50_000, i));
        if (i % 3 == 0) {
          live.add(envelope);
        } else {
          delivered(spool, envelope, "r@example.com");
        }
      }
      clock.advance(CYCLE);
      Envelope current = messages.envelope("now@example.com");
      spool.store(current, TestMessages.text("now"));
      deferred(spool, current, "now@example.com");

      AtomicBoolean done = new AtomicBoolean();
      AtomicInteger reads = new AtomicInteger();
      try (ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          futures.add(
              readers.submit(
                  () -> {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    for (int n = 0; !done.get() && System.nanoTime() < deadline; n++) {
                      Envelope envelope = live.get(n % live.size());
                      assertThat(spool.read(envelope.id()))
                          .as("read of %s", envelope.id())
                          .isPresent();
                      reads.incrementAndGet();
                    }
                    return null;
                  }));
        }
        spool.maintain();
        done.set(true);
        for (Future<?> future : futures) {
          future.get(60, TimeUnit.SECONDS);
        }
      }
      assertThat(reads.get()).isPositive();
      assertThat(journalFiles("messages")).hasSize(1);
      for (Envelope envelope : live) {
        assertThat(spool.read(envelope.id())).isPresent();
      }
    }
  }

  @Test
  void runsByItselfEveryMaintenancePeriod() throws IOException {
    Envelope old = messages.envelope("a@example.com");
    SpoolOptions options =
        new SpoolOptions(dir, Durability.GROUP, clock)
            .withRollCycle(CYCLE)
            .withMaintenancePeriod(Duration.ofMillis(20));
    try (ChronicleSpool spool = ChronicleSpool.open(options)) {
      spool.store(old, TestMessages.text("old"));
      delivered(spool, old, "a@example.com");
      clock.advance(CYCLE);
      Envelope current = messages.envelope("b@example.com");
      spool.store(current, TestMessages.text("new"));

      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (journalFiles("messages").size() > 1 && System.nanoTime() < deadline) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
      }
      assertThat(journalFiles("messages")).hasSize(1);
      assertThat(spool.read(current.id())).isPresent();
    }
  }

  @Test
  void leavesTheCurrentFilesAlone() throws IOException {
    Envelope envelope = messages.envelope("a@example.com");
    try (ChronicleSpool spool = open()) {
      spool.store(envelope, TestMessages.text("1"));
      delivered(spool, envelope, "a@example.com");
      spool.maintain();
      assertThat(journalFiles("messages")).hasSize(1);
      assertThat(journalFiles("events")).hasSize(1);
      assertThat(spool.read(envelope.id())).isPresent();
    }
  }

  private void assertCarried(ChronicleSpool spool, Envelope envelope, byte[] digest, int attempts) {
    QueuedMessage message = spool.find(envelope.id()).orElseThrow();
    RecipientStatus slow = message.recipients().get(0);
    assertThat(slow.state()).isEqualTo(RecipientState.DEFERRED);
    assertThat(slow.attempts()).isEqualTo(attempts);
    assertThat(message.recipients().get(1).state()).isEqualTo(RecipientState.DELIVERED);
    assertThat(message.recipients().get(1).attempts()).isEqualTo(1);
    assertThat(TestMessages.sha256(spool.read(envelope.id()).orElseThrow().content()))
        .isEqualTo(digest);
  }

  private void delivered(ChronicleSpool spool, Envelope envelope, String recipient) {
    spool.record(
        new SpoolEvent.Delivered(
            envelope.id(), recipient, clock.instant(), "mx.example.com", "250 ok"));
  }

  private void deferred(ChronicleSpool spool, Envelope envelope, String recipient) {
    spool.record(
        new SpoolEvent.Deferred(
            envelope.id(),
            recipient,
            clock.instant(),
            clock.instant().plusSeconds(300),
            "451 later"));
  }

  private List<Path> journalFiles(String journal) throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve(journal))) {
      return files.filter(f -> f.getFileName().toString().endsWith(".cq4")).toList();
    }
  }

  /**
   * Copies the cycle files (not Chronicle's metadata) of both journals from one spool dir to
   * another.
   */
  private static void copyJournals(Path from, Path to) throws IOException {
    for (String journal : List.of("messages", "events")) {
      Files.createDirectories(to.resolve(journal));
      try (Stream<Path> files = Files.list(from.resolve(journal))) {
        for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".cq4")).toList()) {
          Path target = to.resolve(journal).resolve(file.getFileName());
          if (!Files.exists(target)) {
            Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
          }
        }
      }
    }
  }
}
