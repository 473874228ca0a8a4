package io.vireo.queue.chronicle;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.queue.DamagedContentException;
import io.vireo.queue.Durability;
import io.vireo.queue.Envelope;
import io.vireo.queue.MessageContent;
import io.vireo.queue.MessageId;
import io.vireo.queue.QueuedMessage;
import io.vireo.queue.RecipientState;
import io.vireo.queue.SpoolFinding;
import io.vireo.queue.SpoolOptions;
import io.vireo.queue.testing.ManualClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random damage to the messages journal, many times over: truncation, zeroed ranges and flipped
 * bytes at random offsets. Whatever the damage, the spool opens, every message none of whose
 * records was touched comes back once with its content, and a message stored afterwards survives
 * the next restart. CI runs a few rounds; {@code -Dvireo.damage.rounds=500 -Dvireo.damage.seed=N}
 * runs longer by hand (the seed of a failing round is in the assertion message).
 */
class RandomSpoolDamageTest {
  private static final Instant START = Instant.parse("2026-03-02T10:15:00Z");
  private static final int MESSAGES = 24;

  @TempDir Path dir;

  @Test
  void randomDamageNeverCostsAnIntactMessage() throws IOException {
    int rounds = Integer.getInteger("vireo.damage.rounds", 12);
    long seed = Long.getLong("vireo.damage.seed", System.nanoTime());
    SplittableRandom seeds = new SplittableRandom(seed);
    for (int round = 0; round < rounds; round++) {
      long roundSeed = seeds.nextLong();
      Path spoolDir = dir.resolve("round-" + round);
      runRound(spoolDir, roundSeed);
      deleteTree(spoolDir);
    }
  }

  private void runRound(Path spoolDir, long roundSeed) {
    SplittableRandom random = new SplittableRandom(roundSeed);
    ManualClock clock = new ManualClock(START);
    TestMessages messages = new TestMessages(clock);
    SpoolOptions options =
        new SpoolOptions(spoolDir, Durability.NONE, clock)
            .withMaintenancePeriod(Duration.ZERO)
            .withContentCacheBytes(0);
    Map<MessageId, MessageContent> stored = new HashMap<>();
    try (ChronicleSpool spool = ChronicleSpool.open(options)) {
      for (int i = 0; i < MESSAGES; i++) {
        Envelope envelope = messages.envelope("r" + i + "@example.com");
        MessageContent content =
            random.nextInt(8) == 0
                ? TestMessages.random(MessageContent.MAX_CHUNK + random.nextInt(50_000), i)
                : TestMessages.random(100 + random.nextInt(6000), i);
        spool.store(envelope, content);
        stored.put(envelope.id(), content);
      }
    }
    List<JournalLayout.Record> records = JournalLayout.records(spoolDir.resolve("messages"));
    Path file = records.getFirst().file();
    long dataStart = records.getFirst().position();
    long dataEnd = records.getLast().end();
    long from = dataStart + random.nextLong(dataEnd - dataStart);
    long to;
    String what;
    switch (random.nextInt(3)) {
      case 0 -> {
        JournalLayout.truncate(file, from);
        to = Long.MAX_VALUE;
        what = "truncated at " + from;
      }
      case 1 -> {
        int length = 1 + random.nextInt(20_000);
        to = Math.min(from + length, dataEnd);
        JournalLayout.overwrite(file, from, new byte[(int) (to - from)]);
        what = "zeroed " + from + ".." + to;
      }
      default -> {
        int length = 1 + random.nextInt(16);
        to = Math.min(from + length, dataEnd);
        JournalLayout.flip(file, from, (int) (to - from));
        what = "flipped " + from + ".." + to;
      }
    }
    String context = "seed " + roundSeed + ": " + what;
    Set<String> touched = new HashSet<>();
    for (JournalLayout.Record record : records) {
      if (record.position() < to && record.end() > from) {
        touched.add(record.messageId());
      }
    }
    Set<MessageId> intact = new HashSet<>();
    for (MessageId id : stored.keySet()) {
      if (!touched.contains(id.value())) {
        intact.add(id);
      }
    }
    MessageId later;
    Set<String> damagedAtRead = new HashSet<>();
    try (ChronicleSpool spool = ChronicleSpool.open(options)) {
      List<MessageId> pending = spool.pending().stream().map(QueuedMessage::id).toList();
      assertThat(pending).as(context).doesNotHaveDuplicates().containsAll(intact);
      for (MessageId id : pending) {
        QueuedMessage message = spool.find(id).orElseThrow();
        if (intact.contains(id)) {
          assertThat(spool.read(id).orElseThrow().content().toByteArray())
              .as(context)
              .isEqualTo(stored.get(id).toByteArray());
        } else {
          // A touched message comes back only if it still reads whole, or failed for its sender,
          // or (a large one's chunk, checked when read rather than at start) refuses to be read.
          boolean failed =
              message.recipients().stream().allMatch(s -> s.state() == RecipientState.FAILED);
          if (!failed) {
            try {
              assertThat(spool.read(id).orElseThrow().content().toByteArray())
                  .as(context)
                  .isEqualTo(stored.get(id).toByteArray());
            } catch (DamagedContentException e) {
              damagedAtRead.add("message " + id + ": content missing or fails its CRC-32C check");
            }
          }
        }
      }
      Envelope envelope = messages.envelope("later@example.com");
      spool.store(envelope, TestMessages.text("later"));
      later = envelope.id();
    }
    try (ChronicleSpool spool = ChronicleSpool.open(options)) {
      assertThat(spool.find(later)).as(context).isPresent();
      assertThat(spool.pending().stream().map(QueuedMessage::id)).as(context).containsAll(intact);
    }
    assertThat(ChronicleSpool.check(spoolDir, false, clock).findings())
        .as(context)
        .extracting(SpoolFinding::detail)
        .containsExactlyInAnyOrderElementsOf(damagedAtRead);
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
