package io.vireo.relay.delivery.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.config.BackoffConfig;
import io.vireo.config.DestinationLimits;
import io.vireo.config.HostPort;
import io.vireo.config.Rate;
import io.vireo.queue.BodyType;
import io.vireo.queue.Envelope;
import io.vireo.queue.MessageIdGenerator;
import io.vireo.queue.Recipient;
import io.vireo.queue.RecipientState;
import io.vireo.queue.RecipientStatus;
import io.vireo.queue.Ret;
import io.vireo.relay.delivery.smtp.TlsPolicy;
import io.vireo.relay.delivery.transport.NextHops;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A destination's queue, worker count and suspension, without any I/O. */
class DestinationTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final MessageIdGenerator ids = new MessageIdGenerator(Clock.systemUTC());

  private final Destination destination =
      new Destination(
          "mx:mx.example.test",
          new DestinationLimits(2, Rate.unlimited(), 100, Duration.ofSeconds(30)),
          new BackoffConfig(Duration.ofSeconds(30), Duration.ofMinutes(2)));

  @Test
  void workersAreStartedWhileJobsOutnumberThemUpToTheConnectionLimit() {
    assertThat(destination.offer(job())).isTrue(); // 1 job, 0 workers
    assertThat(destination.offer(job())).isTrue(); // 2 jobs, 1 worker
    assertThat(destination.offer(job())).isFalse(); // the limit is 2
    assertThat(destination.workers()).isEqualTo(2);
  }

  @Test
  void aWorkerWithoutConnectionIsCountedOutWhenTheQueueIsEmpty() {
    destination.offer(job());

    assertThat(destination.next(T0, false)).isInstanceOf(Destination.Next.Work.class);
    assertThat(destination.next(T0, true)).isInstanceOf(Destination.Next.Empty.class);
    assertThat(destination.workers()).isEqualTo(1);
    assertThat(destination.next(T0, false)).isInstanceOf(Destination.Next.Retired.class);
    assertThat(destination.workers()).isZero();
    assertThat(destination.isIdle()).isTrue();
    // A job offered now needs a new worker.
    assertThat(destination.offer(job())).isTrue();
  }

  @Test
  void aJobTakenAheadLeavesTheWorkerCountAndGoesBackToTheHead() {
    DeliveryJob first = job();
    DeliveryJob second = job();
    destination.offer(first);
    destination.offer(second);
    int workers = destination.workers();

    assertThat(destination.pollReadyNow(T0)).contains(first);
    assertThat(destination.workers()).isEqualTo(workers);
    destination.putBack(first);

    assertThat(destination.next(T0, true))
        .isInstanceOfSatisfying(
            Destination.Next.Work.class, w -> assertThat(w.job()).isSameAs(first));
    assertThat(destination.pollReadyNow(T0)).contains(second);
    assertThat(destination.pollReadyNow(T0)).isEmpty();
  }

  @Test
  void noJobIsTakenAheadWhileSuspendedJustResumedOrRateLimited() {
    Destination limited =
        new Destination(
            "mx:rate.example.test",
            new DestinationLimits(1, new Rate(10), 100, Duration.ofSeconds(30)),
            new BackoffConfig(Duration.ofSeconds(30), Duration.ofMinutes(2)));
    limited.offer(job());
    limited.offer(job());
    limited.offer(job());
    limited.suspend(T0, "421 4.3.2 busy");

    assertThat(limited.pollReadyNow(T0.plusSeconds(1))).isEmpty(); // suspended
    Instant resumed = T0.plusSeconds(31);
    assertThat(limited.pollReadyNow(resumed)).isEmpty(); // the pause is over, but next() says so
    assertThat(limited.next(resumed, false)).isInstanceOf(Destination.Next.Work.class);
    // 10/s: the slot after the one next() reserved is 100 ms away.
    assertThat(limited.pollReadyNow(resumed)).isEmpty();
    assertThat(limited.queued()).isEqualTo(2);
    assertThat(limited.pollReadyNow(resumed.plusMillis(100))).isPresent();
  }

  @Test
  void suspendedDestinationHandsBackItsQueueAndResumesAfterThePause() {
    assertThat(destination.suspend(T0, "421 4.3.2 busy")).contains(Duration.ofSeconds(30));
    // A second failure while suspended does not double the pause.
    assertThat(destination.suspend(T0.plusSeconds(1), "421 4.3.2 busy")).isEmpty();
    destination.offer(job());
    destination.offer(job());

    Destination.Next held = destination.next(T0.plusSeconds(10), false);

    assertThat(held)
        .isInstanceOfSatisfying(
            Destination.Next.Suspended.class,
            s -> {
              assertThat(s.jobs()).hasSize(2);
              assertThat(s.until()).isEqualTo(T0.plusSeconds(30));
              assertThat(s.reason()).isEqualTo("421 4.3.2 busy");
            });
    assertThat(destination.isIdle()).isFalse(); // the backoff is remembered
    destination.offer(job());
    assertThat(destination.next(T0.plusSeconds(31), false))
        .isInstanceOfSatisfying(Destination.Next.Work.class, w -> assertThat(w.resumed()).isTrue());
    assertThat(destination.recovered()).isTrue();
    assertThat(destination.suspend(T0.plusSeconds(40), "again")).contains(Duration.ofSeconds(30));
  }

  @Test
  void repeatedFailuresDoubleThePause() {
    assertThat(destination.suspend(T0, "down")).contains(Duration.ofSeconds(30));
    assertThat(destination.suspend(T0.plusSeconds(30), "down")).contains(Duration.ofSeconds(60));
    assertThat(destination.suspend(T0.plusSeconds(90), "down")).contains(Duration.ofSeconds(120));
    assertThat(destination.suspend(T0.plusSeconds(210), "down")).contains(Duration.ofSeconds(120));
  }

  private DeliveryJob job() {
    Recipient recipient = Recipient.of("bob@example.test");
    Envelope envelope =
        new Envelope(
            ids.next(),
            "a@example.test",
            List.of(recipient),
            BodyType.SEVEN_BIT,
            false,
            Ret.UNSPECIFIED,
            null,
            T0,
            "127.0.0.1",
            "client.test");
    return new DeliveryJob(
        envelope,
        List.of(new RecipientStatus(recipient, RecipientState.PENDING, 0, T0, null)),
        new NextHops.Smarthost(new HostPort("127.0.0.1", 2525), TlsPolicy.NONE));
  }
}
