package io.vireo.relay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.config.BackoffConfig;
import io.vireo.config.DestinationLimits;
import io.vireo.config.Rate;
import io.vireo.queue.Envelope;
import io.vireo.queue.RecipientState;
import io.vireo.queue.RecipientStatus;
import io.vireo.queue.SpoolEvent;
import io.vireo.queue.testing.ManualClock;
import io.vireo.relay.testing.Await;
import io.vireo.relay.testing.ScriptedSmtpServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connections: reuse, isolation of slow destinations, backoff, broken sessions and restarts. */
class ConnectionHandlingTest {
  @TempDir Path dir;
  private DeliveryHarness harness;
  private LogCapture deliveryLog;

  @BeforeEach
  void setUp() throws Exception {
    harness = new DeliveryHarness(dir);
    deliveryLog = new LogCapture("delivery");
  }

  @AfterEach
  void tearDown() throws Exception {
    try {
      harness.close();
    } finally {
      deliveryLog.close();
    }
  }

  @Test
  void fiftyMessagesToOneDestinationReuseAFewConnections() throws Exception {
    ScriptedSmtpServer mx = harness.mx("dest.test", "127.0.0.2");
    harness.settings.defaults =
        new DestinationLimits(3, Rate.unlimited(), 1000, Duration.ofSeconds(5));
    harness.start();

    List<Envelope> sent = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      sent.add(harness.send("a@sender.test", "r" + i + "@dest.test"));
    }

    mx.awaitMessages(50, DeliveryHarness.WAIT);
    for (int i = 0; i < 50; i++) {
      harness.awaitState(sent.get(i), "r" + i + "@dest.test", RecipientState.DELIVERED);
    }
    DeliveryStats stats = harness.engine().stats();
    assertThat(mx.connectionCount()).isLessThanOrEqualTo(3);
    assertThat(stats.connectionsOpened()).isEqualTo(mx.connectionCount());
    assertThat(stats.connectionsReused()).isEqualTo(50 - stats.connectionsOpened());
    assertThat(mx.messages()).hasSize(50);
  }

  @Test
  void messagesPerConnectionLimitOpensAFreshConnection() throws Exception {
    ScriptedSmtpServer mx = harness.mx("dest.test", "127.0.0.2");
    harness.settings.defaults =
        new DestinationLimits(1, Rate.unlimited(), 2, Duration.ofSeconds(5));
    harness.start();

    for (int i = 0; i < 6; i++) {
      harness.send("a@sender.test", "r" + i + "@dest.test");
    }

    mx.awaitMessages(6, DeliveryHarness.WAIT);
    // One connection at a time, two messages each.
    assertThat(mx.connectionCount()).isEqualTo(3);
    assertThat(mx.messages())
        .extracting(ScriptedSmtpServer.ReceivedMessage::connection)
        .containsExactly(1, 1, 2, 2, 3, 3);
  }

  @Test
  void rateLimitSpacesMessagesToTheDestination() throws Exception {
    ScriptedSmtpServer mx = harness.mx("dest.test", "127.0.0.2");
    harness.settings.defaults = new DestinationLimits(4, new Rate(20), 1000, Duration.ofSeconds(5));
    ManualClock clock = new ManualClock(Instant.now());
    harness.settings.clock = clock;
    harness.start();

    Instant started = clock.instant();
    for (int i = 0; i < 6; i++) {
      harness.send("a@sender.test", "r" + i + "@dest.test");
    }
    // Time moves 10 ms at each look; the workers wait for their rate slots on the engine's ticker.
    Await.until(
        "six messages arrived",
        DeliveryHarness.WAIT,
        () -> {
          boolean arrived = mx.messages().size() >= 6;
          if (!arrived) {
            clock.advance(Duration.ofMillis(10));
          }
          return arrived;
        });

    // 20/s: six messages take at least five intervals of 50 ms.
    assertThat(Duration.between(started, clock.instant()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(250));
  }

  @Test
  void aStalledDestinationDoesNotHoldUpAnother() throws Exception {
    ScriptedSmtpServer slow = harness.mx("slow.test", "127.0.0.2").stallDuringData(10);
    ScriptedSmtpServer fast = harness.mx("fast.test", "127.0.0.3");
    harness.settings.shutdownGrace = Duration.ofMillis(200);
    harness.start();

    for (int i = 0; i < 3; i++) {
      harness.send("a@sender.test", "s" + i + "@slow.test");
    }
    Await.until(
        "the slow server stalls in DATA",
        DeliveryHarness.WAIT,
        () -> slow.commands().contains("DATA"));
    for (int i = 0; i < 3; i++) {
      harness.send("a@sender.test", "f" + i + "@fast.test");
    }

    fast.awaitMessages(3, DeliveryHarness.WAIT);
    assertThat(slow.messages()).isEmpty();
  }

  @Test
  void connectionDroppedMidDataIsRetriedAndDeliveredExactlyOnce() throws Exception {
    ScriptedSmtpServer mx = harness.mx("dest.test", "127.0.0.2").dropConnectionDuringData(1);
    harness.start();

    Envelope sent = harness.send("a@sender.test", "bob@dest.test");

    harness.awaitState(sent, "bob@dest.test", RecipientState.DELIVERED);
    assertThat(harness.spool().events(sent.id(), "bob@dest.test"))
        .hasSize(2)
        .first()
        .isInstanceOfSatisfying(
            SpoolEvent.Deferred.class, d -> assertThat(d.reply()).startsWith("451 4.4.2"));
    assertThat(mx.messages()).hasSize(1);
    assertThat(mx.connectionCount()).isEqualTo(2);
  }

  @Test
  void refusingDestinationIsSuspendedAndResumesOnItsOwn() throws Exception {
    harness.mxRecord("down.test", 10, "mx.down.test", "127.0.0.4"); // nothing listens yet
    harness.settings.backoff = new BackoffConfig(Duration.ofSeconds(1), Duration.ofSeconds(2));
    ManualClock clock = new ManualClock(Instant.now());
    harness.settings.clock = clock;
    harness.start();

    Envelope first = harness.send("a@sender.test", "one@down.test");
    harness.awaitAttempts(first, "one@down.test", 1);
    Envelope second = harness.send("a@sender.test", "two@down.test");
    harness.awaitAttempts(second, "two@down.test", 1);

    assertThat(harness.status(first.id(), "one@down.test").lastReply())
        .startsWith("451 4.4.1")
        .contains("cannot connect");
    // The second message found the destination suspended and was not even tried.
    assertThat(harness.status(second.id(), "two@down.test").lastReply())
        .contains("delivery temporarily suspended");
    // Once, unless a slow machine lets the pause end before the server below is up.
    assertThat(harness.engine().stats().suspensions()).isPositive();
    assertThat(deliveryLog.linesContaining("destination mx:mx.down.test suspended for 1s"))
        .hasSize(1);

    ScriptedSmtpServer mx = harness.server("127.0.0.4");
    clock.advance(Duration.ofSeconds(2)); // past the pause and both retries
    harness.awaitState(first, "one@down.test", RecipientState.DELIVERED);
    harness.awaitState(second, "two@down.test", RecipientState.DELIVERED);
    assertThat(mx.messages()).hasSize(2);
    assertThat(deliveryLog.lines())
        .anyMatch(line -> line.contains("destination mx:mx.down.test resumed"));
  }

  @Test
  void jobsHeldBySuspensionWaitForTheirOwnRetryScheduleWhenItIsLater() throws Exception {
    harness.mxRecord("dead.test", 10, "mx.dead.test", "127.0.0.4"); // nothing ever listens
    harness.settings.backoff = new BackoffConfig(Duration.ofMillis(200), Duration.ofMillis(400));
    harness.settings.schedule = List.of(Duration.ofMinutes(10));
    harness.settings.maxAge = Duration.ofHours(1);
    harness.start();

    Envelope first = harness.send("a@sender.test", "one@dead.test");
    harness.awaitAttempts(first, "one@dead.test", 1);
    Envelope second = harness.send("a@sender.test", "two@dead.test");
    harness.awaitAttempts(second, "two@dead.test", 1);

    RecipientStatus held = harness.status(second.id(), "two@dead.test");
    assertThat(held.lastReply()).contains("delivery temporarily suspended");
    // Not back at the end of the 200 ms pause: a dead destination's backlog would otherwise be
    // deferred and logged again after every pause.
    assertThat(held.nextAttempt()).isAfter(Instant.now().plus(Duration.ofMinutes(8)));
  }

  @Test
  void throttlingReplySuspendsTheDestination() throws Exception {
    AtomicBoolean throttling = new AtomicBoolean(true);
    ScriptedSmtpServer mx =
        harness
            .mx("busy.test", "127.0.0.2")
            .onMail(sender -> throttling.get() ? "450 4.7.0 Rate limit exceeded, slow down" : null);
    harness.start();

    Envelope sent = harness.send("a@sender.test", "bob@busy.test");

    harness.awaitAttempts(sent, "bob@busy.test", 1);
    assertThat(harness.engine().stats().suspensions()).isPositive();
    assertThat(deliveryLog.linesContaining("suspended for 300ms: 450 4.7.0 Rate limit")).hasSize(1);
    throttling.set(false);
    harness.awaitState(sent, "bob@busy.test", RecipientState.DELIVERED);
    assertThat(mx.messages()).hasSize(1);
  }

  @Test
  void restartMidDeliveryNeverResendsWhatWasDelivered() throws Exception {
    ScriptedSmtpServer fast = harness.mx("fast.test", "127.0.0.2");
    ScriptedSmtpServer stalling = harness.mx("stall.test", "127.0.0.3").stallDuringData(1);
    harness.settings.shutdownGrace = Duration.ofMillis(200);
    harness.start();

    Envelope sent = harness.send("a@sender.test", "one@fast.test", "two@stall.test");
    harness.awaitState(sent, "one@fast.test", RecipientState.DELIVERED);
    Await.until(
        "the second server stalls in DATA",
        DeliveryHarness.WAIT,
        () -> stalling.commands().contains("DATA"));

    harness.restart();

    harness.awaitState(sent, "two@stall.test", RecipientState.DELIVERED);
    assertThat(fast.messages())
        .singleElement()
        .satisfies(m -> assertThat(m.recipients()).containsExactly("one@fast.test"));
    assertThat(stalling.messages())
        .singleElement()
        .satisfies(m -> assertThat(m.recipients()).containsExactly("two@stall.test"));
    Await.until(
        "the new engine counts one delivery",
        DeliveryHarness.WAIT,
        () -> harness.engine().stats().delivered() == 1);
  }
}
