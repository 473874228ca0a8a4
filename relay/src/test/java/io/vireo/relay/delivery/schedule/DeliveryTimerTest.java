package io.vireo.relay.delivery.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.queue.MessageId;
import io.vireo.queue.MessageIdGenerator;
import io.vireo.queue.testing.ManualClock;
import io.vireo.relay.testing.Await;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The timer and the workers' sleep on a manual ticker: time moves when the test says. */
class DeliveryTimerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final ManualClock clock = new ManualClock();
  private final Ticker ticker = Ticker.manual(clock, clock::onAdvance);
  private final List<DeliveryTimer.Due> handedOn = new CopyOnWriteArrayList<>();
  private final DeliveryTimer timer = new DeliveryTimer(ticker, handedOn::add);
  private final MessageIdGenerator ids = new MessageIdGenerator(clock);

  @AfterEach
  void stop() {
    timer.close();
  }

  @Test
  void entriesAreHandedOnWhenTheClockReachesThemEarliestFirst() {
    timer.start();
    MessageId later = ids.next();
    MessageId sooner = ids.next();
    timer.schedule(clock.instant().plus(Duration.ofHours(2)), later, List.of("b@x.test"));
    timer.schedule(clock.instant().plus(Duration.ofHours(1)), sooner, List.of("a@x.test"));
    timer.schedule(clock.instant(), ids.next(), List.of("now@x.test"));

    Await.until("the entry due now is handed on", WAIT, () -> handedOn.size() == 1);
    assertThat(timer.size()).isEqualTo(2);

    clock.advance(Duration.ofHours(1));
    Await.until("the entry due in an hour is handed on", WAIT, () -> handedOn.size() == 2);
    assertThat(handedOn.get(1).id()).isEqualTo(sooner);
    assertThat(timer.size()).isEqualTo(1);

    clock.advance(Duration.ofHours(1));
    Await.until("the last entry is handed on", WAIT, () -> handedOn.size() == 3);
    assertThat(handedOn.get(2).id()).isEqualTo(later);
    assertThat(timer.size()).isZero();
  }

  @Test
  void aSleepOnTheTickerEndsWhenTheClockHasMovedFarEnough() throws Exception {
    List<Boolean> woke = new CopyOnWriteArrayList<>();
    Thread sleeper =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    ticker.sleep(Duration.ofMinutes(10));
                    woke.add(true);
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });

    Await.until("the sleeper waits", WAIT, () -> sleeper.getState() == Thread.State.WAITING);
    clock.advance(Duration.ofMinutes(9));
    assertThat(woke).isEmpty();
    clock.advance(Duration.ofMinutes(1));

    assertThat(sleeper.join(WAIT)).isTrue();
    assertThat(woke).containsExactly(true);
  }
}
