package io.vireo.relay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.config.HostPort;
import io.vireo.config.RouteConfig;
import io.vireo.config.TlsMode;
import io.vireo.queue.Envelope;
import io.vireo.queue.RecipientState;
import io.vireo.queue.SpoolEvent;
import io.vireo.relay.testing.Await;
import io.vireo.relay.testing.ScriptedSmtpServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/** Routing and DNS: where the engine delivers, and what it does when DNS says no. */
class DeliveryEngineTest {
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
  void deliversToTheMxAndLogsOnePostfixStyleLinePerRecipient() throws Exception {
    ScriptedSmtpServer mx = harness.mx("dest.test", "127.0.0.2");
    harness.start();

    Envelope sent = harness.send("a@sender.test", "bob@dest.test", "carol@dest.test");

    List<ScriptedSmtpServer.ReceivedMessage> received = mx.awaitMessages(1, DeliveryHarness.WAIT);
    harness.awaitState(sent, "bob@dest.test", RecipientState.DELIVERED);
    harness.awaitState(sent, "carol@dest.test", RecipientState.DELIVERED);
    assertThat(received.getFirst().mailFrom()).isEqualTo("a@sender.test");
    assertThat(received.getFirst().recipients())
        .containsExactly("bob@dest.test", "carol@dest.test");
    assertThat(received.getFirst().dataAsString()).isEqualTo(DeliveryHarness.BODY);
    assertThat(harness.spool().events(SpoolEvent.Delivered.class))
        .extracting(SpoolEvent.Delivered::relay)
        .containsOnly("mx.dest.test[127.0.0.2]:" + harness.mxPort);
    Await.until(
        "both deliveries counted",
        DeliveryHarness.WAIT,
        () -> harness.engine().stats().delivered() == 2);
    assertThat(deliveryLog.linesContaining(sent.id().value()))
        .anySatisfy(
            line ->
                assertThat(line)
                    .matches(
                        sent.id()
                            + ": to=<bob@dest.test>, relay=mx\\.dest\\.test\\[127\\.0\\.0\\.2\\]:"
                            + harness.mxPort
                            + ", delay=\\d+\\.\\d, dsn=2\\.0\\.0, status=sent \\(250 2\\.0\\.0 Ok:"
                            + " queued as M1\\)"));
  }

  @Test
  void routedDomainGoesToTheSmarthostWithoutAnyMxLookup() throws Exception {
    ScriptedSmtpServer smarthost = harness.server("127.0.0.5");
    harness.settings.routes =
        List.of(
            new RouteConfig(
                List.of("*.routed.test", "routed.test"),
                new HostPort("127.0.0.5", harness.mxPort),
                TlsMode.NONE,
                null));
    harness.start();

    Envelope sent = harness.send("a@sender.test", "x@routed.test", "y@sub.routed.test");

    harness.awaitState(sent, "x@routed.test", RecipientState.DELIVERED);
    harness.awaitState(sent, "y@sub.routed.test", RecipientState.DELIVERED);
    // Both domains share the route's destination, hence one transaction.
    assertThat(smarthost.messages())
        .singleElement()
        .satisfies(
            m -> assertThat(m.recipients()).containsExactly("x@routed.test", "y@sub.routed.test"));
    assertThat(harness.dns.queries("routed.test", Type.MX)).isZero();
    assertThat(harness.dns.queries("sub.routed.test", Type.MX)).isZero();
  }

  @Test
  void domainsSharingMxHostsShareOneTransaction() throws Exception {
    ScriptedSmtpServer provider = harness.server("127.0.0.2");
    harness.mxRecord("one.test", 10, "mx.provider.test", "127.0.0.2");
    harness.mxRecord("two.test", 10, "mx.provider.test", "127.0.0.2");
    harness.start();

    Envelope sent = harness.send("a@sender.test", "a@one.test", "b@two.test");

    harness.awaitState(sent, "a@one.test", RecipientState.DELIVERED);
    harness.awaitState(sent, "b@two.test", RecipientState.DELIVERED);
    assertThat(provider.messages())
        .singleElement()
        .satisfies(m -> assertThat(m.recipients()).containsExactly("a@one.test", "b@two.test"));
  }

  @Test
  void primaryMxDownSoTheSecondaryGetsTheMessage() throws Exception {
    harness.mxRecord("pref.test", 10, "mx1.pref.test", "127.0.0.2"); // nothing listens there
    harness.mxRecord("pref.test", 20, "mx2.pref.test", "127.0.0.3");
    ScriptedSmtpServer secondary = harness.server("127.0.0.3");
    harness.start();

    Envelope sent = harness.send("a@sender.test", "bob@pref.test");

    harness.awaitState(sent, "bob@pref.test", RecipientState.DELIVERED);
    assertThat(secondary.messages()).hasSize(1);
    assertThat(harness.spool().events(sent.id(), "bob@pref.test"))
        .singleElement()
        .isInstanceOfSatisfying(
            SpoolEvent.Delivered.class,
            d -> assertThat(d.relay()).startsWith("mx2.pref.test[127.0.0.3]"));
  }

  @Test
  void primaryGreetingWith421SoTheSecondaryGetsTheMessage() throws Exception {
    harness.mxRecord("busy.test", 10, "mx1.busy.test", "127.0.0.2");
    harness.mxRecord("busy.test", 20, "mx2.busy.test", "127.0.0.3");
    ScriptedSmtpServer primary = harness.server("127.0.0.2").greeting("421 4.3.2 Too busy");
    ScriptedSmtpServer secondary = harness.server("127.0.0.3");
    harness.start();

    Envelope sent = harness.send("a@sender.test", "bob@busy.test");

    harness.awaitState(sent, "bob@busy.test", RecipientState.DELIVERED);
    assertThat(primary.connectionCount()).isEqualTo(1);
    assertThat(secondary.messages()).hasSize(1);
  }

  @Test
  void equalPreferenceHostsShareTheLoad() throws Exception {
    harness.mxRecord("spread.test", 10, "a.spread.test", "127.0.0.2");
    harness.mxRecord("spread.test", 10, "b.spread.test", "127.0.0.3");
    ScriptedSmtpServer a = harness.server("127.0.0.2");
    ScriptedSmtpServer b = harness.server("127.0.0.3");
    // One message per connection, so every message picks its host afresh.
    harness.settings.defaults =
        new io.vireo.config.DestinationLimits(
            2, io.vireo.config.Rate.unlimited(), 1, java.time.Duration.ofSeconds(5));
    harness.start();

    for (int i = 0; i < 20; i++) {
      harness.send("a@sender.test", "r" + i + "@spread.test");
    }

    Await.until(
        "20 messages delivered",
        DeliveryHarness.WAIT,
        () -> a.messages().size() + b.messages().size() == 20);
    assertThat(a.messages()).isNotEmpty();
    assertThat(b.messages()).isNotEmpty();
  }

  @Test
  void nullMxBouncesAtOnceWithStatus5110() throws Exception {
    harness.dns.nullMx("nullmx.test", 300);
    harness.start();

    Envelope sent = harness.send("a@sender.test", "bob@nullmx.test");

    harness.awaitState(sent, "bob@nullmx.test", RecipientState.BOUNCED);
    var bounce = harness.bounceFor(sent, "bob@nullmx.test");
    assertThat(bounce.envelope().sender()).isEmpty();
    assertThat(bounce.envelope().recipients())
        .extracting(r -> r.address())
        .containsExactly("a@sender.test");
    String status = Reports.deliveryStatus(bounce.content().toByteArray());
    assertThat(status)
        .contains("Final-Recipient: rfc822; bob@nullmx.test")
        .contains("Action: failed")
        .contains("Status: 5.1.10");
    assertThat(harness.spool().events(sent.id(), "bob@nullmx.test"))
        .hasSize(2)
        .first()
        .isInstanceOfSatisfying(
            SpoolEvent.Failed.class, f -> assertThat(f.reply()).contains("5.1.10"));
  }

  @Test
  void nonexistentDomainBouncesWithStatus512() throws Exception {
    harness.start();

    Envelope sent = harness.send("a@sender.test", "bob@nowhere.test");

    harness.awaitState(sent, "bob@nowhere.test", RecipientState.BOUNCED);
    String status =
        Reports.deliveryStatus(harness.bounceFor(sent, "bob@nowhere.test").content().toByteArray());
    assertThat(status).contains("Status: 5.1.2").contains("NXDOMAIN");
    assertThat(deliveryLog.linesContaining(sent.id().value()))
        .anyMatch(line -> line.contains("relay=none") && line.contains("status=bounced"))
        .anyMatch(line -> line.contains("sender non-delivery notification"));
  }

  @Test
  void dnsFailureDefersAndTheMessageGoesOutOnceDnsRecovers() throws Exception {
    ScriptedSmtpServer mx = harness.mx("flaky.test", "127.0.0.2");
    harness.dns.servfail("flaky.test");
    harness.start();

    Envelope sent = harness.send("a@sender.test", "bob@flaky.test");

    harness.awaitAttempts(sent, "bob@flaky.test", 1);
    assertThat(harness.status(sent.id(), "bob@flaky.test").state())
        .isEqualTo(RecipientState.DEFERRED);
    assertThat(harness.status(sent.id(), "bob@flaky.test").lastReply()).startsWith("451 4.4.3");
    harness.dns.recover("flaky.test");
    harness.awaitState(sent, "bob@flaky.test", RecipientState.DELIVERED);
    assertThat(mx.messages()).hasSize(1);
    assertThat(new String(mx.messages().getFirst().data(), StandardCharsets.UTF_8))
        .isEqualTo(DeliveryHarness.BODY);
  }
}
