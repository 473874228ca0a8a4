package io.vireo.relay.suppression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.queue.testing.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The list on an injected clock: expiry, the journal across a reopen, compaction, the lock. */
class SuppressionListTest {
  private static final Instant START = Instant.parse("2026-12-02T10:00:00Z");

  @TempDir Path dir;

  @Test
  void anEntryLapsesAfterExpireAfterAndIsGoneFromTheFileAtTheNextOpen() throws Exception {
    ManualClock clock = new ManualClock(START);
    Path file = dir.resolve("s.jsonl");
    try (SuppressionList list = SuppressionList.open(file, Duration.ofDays(30), clock)) {
      Suppression s = list.add("<Bob@Example.COM>", "hard bounce");
      assertThat(s.address()).isEqualTo("bob@example.com");
      assertThat(s.expires()).isEqualTo(START.plus(Duration.ofDays(30)));
      assertThat(list.isSuppressed("BOB@example.com")).isTrue();
      clock.advance(Duration.ofDays(30).minusSeconds(1));
      assertThat(list.isSuppressed("bob@example.com")).isTrue();
      clock.advance(Duration.ofSeconds(1));
      assertThat(list.isSuppressed("bob@example.com")).isFalse();
      assertThat(list.list()).isEmpty();
      // Lapsed, so a new bounce suppresses it afresh.
      assertThat(list.add("bob@example.com", "again").reason()).isEqualTo("again");
    }
    clock.advance(Duration.ofDays(31));
    try (SuppressionList list = SuppressionList.open(file, Duration.ofDays(30), clock)) {
      assertThat(list.size()).isZero();
    }
    assertThat(Files.readString(file)).isEmpty();
  }

  @Test
  void changesSurviveAReopenAndTheJournalIsCompacted() throws Exception {
    ManualClock clock = new ManualClock(START);
    Path file = dir.resolve("s.jsonl");
    try (SuppressionList list = SuppressionList.open(file, Duration.ZERO, clock)) {
      list.add("a@x.test", "one");
      list.add("b@x.test", "two");
      assertThat(list.add("a@x.test", "other").reason()).as("kept").isEqualTo("one");
      assertThat(list.remove("b@x.test")).isTrue();
      assertThat(list.remove("b@x.test")).isFalse();
    }
    assertThat(Files.readAllLines(file)).hasSize(3);
    Files.writeString(file, "not json\n", java.nio.file.StandardOpenOption.APPEND);
    try (SuppressionList list = SuppressionList.open(file, Duration.ZERO, clock)) {
      assertThat(list.list()).extracting(Suppression::address).containsExactly("a@x.test");
      assertThat(list.find("a@x.test").orElseThrow().expires()).as("never").isNull();
    }
    assertThat(Files.readAllLines(file)).hasSize(1);
  }

  @Test
  void oneProcessAtATimeAndNonsenseIsNoAddress() throws Exception {
    Path file = dir.resolve("s.jsonl");
    try (SuppressionList list = SuppressionList.open(file, Duration.ZERO, new ManualClock(START))) {
      assertThatThrownBy(() -> SuppressionList.open(file, Duration.ZERO, new ManualClock(START)))
          .isInstanceOf(SuppressionList.LockedException.class)
          .hasMessageContaining("in use by another process");
      assertThat(list.isSuppressed("no address")).isFalse();
      assertThatThrownBy(() -> list.add("no-at-sign", "x")).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
