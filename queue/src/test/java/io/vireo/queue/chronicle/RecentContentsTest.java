package io.vireo.queue.chronicle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.queue.MessageContent;
import io.vireo.queue.MessageId;
import io.vireo.queue.testing.ManualClock;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecentContentsTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-03-02T10:15:00Z"));
  private final TestMessages messages = new TestMessages(clock);

  @Test
  void keepsAStoredContentUntilTheMessageIsFinished() {
    RecentContents recent = new RecentContents(1 << 20);
    MessageId id = messages.nextId();
    MessageContent content = TestMessages.random(4096, 1);

    recent.stored(id, content);
    assertThat(recent.get(id)).containsSame(content);

    recent.finished(id);
    assertThat(recent.get(id)).isEmpty();
    assertThat(recent.size()).isZero();
  }

  @Test
  void neverHoldsMoreThanItsBudget() {
    long budget = 256 * 1024;
    RecentContents recent = new RecentContents(budget);
    for (int i = 0; i < 1_000; i++) {
      recent.stored(messages.nextId(), TestMessages.random(4096, i));
    }
    assertThat(recent.size() * 4096).isLessThanOrEqualTo(budget);
    assertThat(recent.size()).isPositive();
  }

  @Test
  void aContentAboveASixteenthOfTheBudgetIsLeftToTheJournal() {
    RecentContents recent = new RecentContents(16 * 4096);
    MessageId fits = messages.nextId();
    MessageId tooLarge = messages.nextId();

    recent.stored(fits, TestMessages.random(4096, 1));
    recent.stored(tooLarge, TestMessages.random(4097, 2));

    assertThat(recent.get(fits)).isPresent();
    assertThat(recent.get(tooLarge)).isEmpty();
  }

  @Test
  void aZeroBudgetKeepsNothing() {
    RecentContents recent = new RecentContents(0);
    MessageId id = messages.nextId();
    recent.stored(id, TestMessages.random(10, 1));
    assertThat(recent.get(id)).isEmpty();
  }

  @Test
  void aNegativeBudgetIsRefused() {
    assertThatThrownBy(() -> new RecentContents(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
