package io.vireo.relay.delivery;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vireo.queue.BodyType;
import io.vireo.queue.Envelope;
import io.vireo.queue.MessageContent;
import io.vireo.queue.RecipientState;
import io.vireo.queue.SpoolEvent;
import io.vireo.queue.testing.ManualClock;
import io.vireo.relay.testing.Await;
import io.vireo.relay.testing.ScriptedSmtpServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Temporary and permanent failures: the retry schedule, expiry, bounces and delay notices. */
class RetryAndBounceTest {
  @TempDir Path dir;
  private DeliveryHarness harness;

  @BeforeEach
  void setUp() throws Exception {
    harness = new DeliveryHarness(dir);
  }

  @AfterEach
  void tearDown() throws Exception {
    harness.close();
  }

  @Test
  void temporaryFailuresAreRetriedOnTheScheduleUntilDelivered() throws Exception {
    AtomicInteger tries = new AtomicInteger();
    ScriptedSmtpServer mx =
        harness
            .mx("dest.test", "127.0.0.2")
            .onRcpt(address -> tries.incrementAndGet() <= 2 ? "451 4.3.0 Try again later" : null);
    harness.start();

    Envelope sent = harness.send("a@sender.test", "bob@dest.test");

    harness.awaitState(sent, "bob@dest.test", RecipientState.DELIVERED);
    List<SpoolEvent> events = harness.spool().events(sent.id(), "bob@dest.test");
    assertThat(events).hasSize(3);
    List<Duration> schedule = harness.settings.schedule;
    for (int i = 0; i < 2; i++) {
      SpoolEvent.Deferred deferred = (SpoolEvent.Deferred) events.get(i);
      long waited = Duration.between(deferred.at(), deferred.nextAttempt()).toMillis();
      long planned = schedule.get(i).toMillis();
      // The schedule's delay with at most 10% jitter either way.
      assertThat((double) waited).isCloseTo(planned, within(planned * 0.1 + 1));
      assertThat(deferred.reply()).isEqualTo("451 4.3.0 Try again later");
      // The next attempt did not come early.
      assertThat(events.get(i + 1).at()).isAfterOrEqualTo(deferred.nextAttempt());
    }
    assertThat(events.get(2)).isInstanceOf(SpoolEvent.Delivered.class);
    assertThat(mx.messages()).hasSize(1);
    assertThat(harness.status(sent.id(), "bob@dest.test").attempts()).isEqualTo(3);
  }

  @Test
  void permanentFailureSendsAWellFormedBounceToTheSendersMx() throws Exception {
    ScriptedSmtpServer senderMx = harness.mx("sender.test", "127.0.0.9");
    harness.mx("dest.test", "127.0.0.2").onRcpt(address -> "550 5.1.1 No such user here");
    harness.start();

    Envelope sent = harness.send("a@sender.test", "bob@dest.test");

    ScriptedSmtpServer.ReceivedMessage bounce =
        senderMx.awaitMessages(1, DeliveryHarness.WAIT).getFirst();
    assertThat(bounce.mailFrom()).isEmpty();
    assertThat(bounce.recipients()).containsExactly("a@sender.test");
    assertThat(bounce.dataAsString())
        .contains("Subject: Undelivered Mail Returned to Sender")
        .contains("Auto-Submitted: auto-replied");
    assertThat(Reports.deliveryStatus(bounce.data()))
        .contains("Reporting-MTA: dns; relay.test")
        .contains("Final-Recipient: rfc822; bob@dest.test")
        .contains("Action: failed")
        .contains("Status: 5.1.1")
        .contains("Remote-MTA: dns; mx.dest.test")
        .contains("Diagnostic-Code: smtp; 550 5.1.1 No such user here");
    harness.awaitState(sent, "bob@dest.test", RecipientState.BOUNCED);
    assertThat(harness.engine().stats().bouncesQueued()).isEqualTo(1);
  }

  @Test
  void notifySuccessThroughANextHopWithoutDsnGetsARelayedReport() throws Exception {
    ScriptedSmtpServer senderMx = harness.mx("sender.test", "127.0.0.9");
    ScriptedSmtpServer plain = harness.mx("plain.test", "127.0.0.2");
    ScriptedSmtpServer withDsn = harness.mx("dsn.test", "127.0.0.3").withDsn();
    harness.start();
    Envelope template = harness.envelope("a@sender.test", BodyType.SEVEN_BIT, false, "x@x.test");

    Envelope toPlain = harness.send(withNotifySuccess(template, "bob@plain.test"), "Subject: hi\r\n\r\nhello\r\n");
    harness.awaitState(toPlain, "bob@plain.test", RecipientState.DELIVERED);
    ScriptedSmtpServer.ReceivedMessage report =
        senderMx.awaitMessages(1, DeliveryHarness.WAIT).getFirst();
    assertThat(report.mailFrom()).isEmpty();
    assertThat(report.recipients()).containsExactly("a@sender.test");
    assertThat(report.dataAsString()).contains("Subject: Successful Mail Delivery Report");
    assertThat(Reports.deliveryStatus(report.data()))
        .contains("Final-Recipient: rfc822; bob@plain.test")
        .contains("Action: relayed")
        .contains("Status: 2.0.0")
        .contains("Remote-MTA: dns; mx.plain.test");

    // A next hop that offers DSN is handed NOTIFY=SUCCESS and reports itself: nothing from here.
    Envelope toDsn = harness.send(withNotifySuccess(template, "eve@dsn.test"), "Subject: hi\r\n\r\nhello\r\n");
    harness.awaitState(toDsn, "eve@dsn.test", RecipientState.DELIVERED);
    assertThat(withDsn.messages()).hasSize(1);
    assertThat(plain.messages()).hasSize(1);
    assertThat(senderMx.messages()).hasSize(1);
  }

  private static Envelope withNotifySuccess(Envelope template, String recipient) {
    return new Envelope(
        new io.vireo.queue.MessageIdGenerator(java.time.Clock.systemUTC()).next(),
        template.sender(),
        List.of(new io.vireo.queue.Recipient(recipient, java.util.Set.of(io.vireo.queue.Notify.SUCCESS), null)),
        template.bodyType(),
        false,
        template.ret(),
        null,
        Instant.now(),
        template.clientAddress(),
        template.heloName());
  }

  @Test
  void mixedRecipientRepliesAreDeliveredDeferredAndBouncedEachOnItsOwn() throws Exception {
    ScriptedSmtpServer senderMx = harness.mx("sender.test", "127.0.0.9");
    AtomicInteger busy = new AtomicInteger();
    ScriptedSmtpServer mx =
        harness
            .mx("dest.test", "127.0.0.2")
            .onRcpt(
                address ->
                    switch (address) {
                      case "later@dest.test" ->
                          busy.incrementAndGet() == 1 ? "452 4.2.2 Mailbox busy" : null;
                      case "bad@dest.test" -> "550 5.1.1 No such user";
                      default -> null;
                    });
    harness.start();

    Envelope sent =
        harness.send("a@sender.test", "ok@dest.test", "later@dest.test", "bad@dest.test");

    harness.awaitState(sent, "bad@dest.test", RecipientState.BOUNCED);
    harness.awaitState(sent, "later@dest.test", RecipientState.DELIVERED);
    assertThat(harness.spool().events(sent.id(), "ok@dest.test"))
        .singleElement()
        .isInstanceOf(SpoolEvent.Delivered.class);
    assertThat(harness.spool().events(sent.id(), "later@dest.test"))
        .hasSize(2)
        .first()
        .isInstanceOf(SpoolEvent.Deferred.class);
    // Each recipient got the message exactly once: ok on the first try, later on the retry.
    assertThat(mx.messages())
        .extracting(ScriptedSmtpServer.ReceivedMessage::recipients)
        .containsExactly(List.of("ok@dest.test"), List.of("later@dest.test"));
    String status =
        Reports.deliveryStatus(senderMx.awaitMessages(1, DeliveryHarness.WAIT).getFirst().data());
    assertThat(status)
        .contains("Final-Recipient: rfc822; bad@dest.test")
        .doesNotContain("later@")
        .doesNotContain("ok@");
  }

  @Test
  void nullSenderNeverGetsABounce() throws Exception {
    harness.mx("dest.test", "127.0.0.2").onRcpt(address -> "550 5.1.1 No such user");
    harness.start();

    Envelope sent = harness.send("", "bob@dest.test");

    harness.awaitState(sent, "bob@dest.test", RecipientState.BOUNCED);
    assertThat(harness.spool().events(SpoolEvent.Bounced.class))
        .singleElement()
        .satisfies(b -> assertThat(b.bounceId()).isNull());
    assertThat(harness.engine().stats().bouncesQueued()).isZero();
  }

  @Test
  void recipientStillFailingAfterMaxAgeIsBouncedWith447() throws Exception {
    ScriptedSmtpServer senderMx = harness.mx("sender.test", "127.0.0.9");
    harness.mx("dest.test", "127.0.0.2").onRcpt(address -> "451 4.3.0 Try again later");
    harness.settings.maxAge = Duration.ofSeconds(1);
    ManualClock clock = new ManualClock(Instant.now());
    harness.settings.clock = clock;
    harness.start();

    Envelope sent = harness.send("a@sender.test", "bob@dest.test");

    harness.awaitAttempts(sent, "bob@dest.test", 1);
    clock.advance(harness.settings.maxAge); // the retry falls due at the expiry time
    harness.awaitState(sent, "bob@dest.test", RecipientState.BOUNCED);
    List<SpoolEvent> events = harness.spool().events(sent.id(), "bob@dest.test");
    assertThat(events.subList(0, events.size() - 2))
        .isNotEmpty()
        .allMatch(SpoolEvent.Deferred.class::isInstance);
    SpoolEvent.Failed failed = (SpoolEvent.Failed) events.get(events.size() - 2);
    assertThat(failed.reply())
        .startsWith("451 4.4.7 Delivery time expired")
        .contains("451 4.3.0 Try again later");
    assertThat(failed.at()).isAfterOrEqualTo(sent.arrival().plus(harness.settings.maxAge));
    assertThat(harness.engine().stats().expired()).isEqualTo(1);
    assertThat(
            Reports.deliveryStatus(
                senderMx.awaitMessages(1, DeliveryHarness.WAIT).getFirst().data()))
        .contains("Action: failed")
        .contains("Status: 4.4.7")
        .contains("Diagnostic-Code: smtp; 451 4.3.0 Try again later");
  }

  @Test
  void delayNoticeIsSentOnceWhileTheRecipientKeepsBeingRetried() throws Exception {
    ScriptedSmtpServer senderMx = harness.mx("sender.test", "127.0.0.9");
    harness.mx("dest.test", "127.0.0.2").onRcpt(address -> "451 4.3.0 Try again later");
    harness.settings.delayWarning = Duration.ofMillis(300);
    harness.start();

    Envelope sent = harness.send("a@sender.test", "bob@dest.test");

    harness.awaitAttempts(sent, "bob@dest.test", 5);
    ScriptedSmtpServer.ReceivedMessage notice =
        senderMx.awaitMessages(1, DeliveryHarness.WAIT).getFirst();
    assertThat(notice.dataAsString()).contains("Subject: Delayed Mail (still being retried)");
    assertThat(Reports.deliveryStatus(notice.data()))
        .contains("Action: delayed")
        .contains("Status: 4.3.0")
        .contains("Will-Retry-Until:");
    assertThat(senderMx.messages()).hasSize(1);
    assertThat(harness.engine().stats().delayNotices()).isEqualTo(1);
    assertThat(harness.status(sent.id(), "bob@dest.test").state())
        .isEqualTo(RecipientState.DEFERRED);
  }

  @Test
  void bounceOwedBeforeARestartIsSentAfterIt() throws Exception {
    ScriptedSmtpServer senderMx = harness.mx("sender.test", "127.0.0.9");
    harness.start();
    Envelope sent = harness.send("a@sender.test", "bob@nowhere.test");
    harness.awaitState(sent, "bob@nowhere.test", RecipientState.BOUNCED);
    senderMx.awaitMessages(1, DeliveryHarness.WAIT);
    // A message whose failure was recorded, but whose bounce was not, as if the relay had
    // crashed in between.
    harness.engine().close();
    Envelope failedOnly =
        harness.envelope("a@sender.test", BodyType.SEVEN_BIT, false, "carol@dest.test");
    harness.spool().store(failedOnly, MessageContent.of(DeliveryHarness.BODY.getBytes(US_ASCII)));
    harness
        .spool()
        .record(
            new SpoolEvent.Failed(
                failedOnly.id(), "carol@dest.test", Instant.now(), "550 5.7.1 Rejected by policy"));

    harness.restart();

    harness.awaitState(failedOnly, "carol@dest.test", RecipientState.BOUNCED);
    Await.until(
        "the owed bounce arrived", DeliveryHarness.WAIT, () -> senderMx.messages().size() == 2);
    assertThat(Reports.deliveryStatus(senderMx.messages().get(1).data()))
        .contains("Final-Recipient: rfc822; carol@dest.test")
        .contains("Status: 5.7.1")
        .contains("550 5.7.1 Rejected by policy");
  }
}
