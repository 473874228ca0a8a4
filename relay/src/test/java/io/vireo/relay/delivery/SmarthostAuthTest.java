package io.vireo.relay.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import io.vireo.config.HostPort;
import io.vireo.config.RouteAuth;
import io.vireo.config.RouteConfig;
import io.vireo.config.TlsMode;
import io.vireo.queue.Envelope;
import io.vireo.queue.RecipientState;
import io.vireo.queue.RecipientStatus;
import io.vireo.queue.SpoolEvent;
import io.vireo.relay.delivery.smtp.PoolKey;
import io.vireo.relay.delivery.smtp.SmtpCredentials;
import io.vireo.relay.delivery.smtp.TlsPolicy;
import io.vireo.relay.delivery.transport.NextHops;
import io.vireo.relay.delivery.transport.Router;
import io.vireo.relay.delivery.transport.Routing;
import io.vireo.relay.testing.Await;
import io.vireo.relay.testing.ScriptedSmtpServer;
import io.vireo.relay.testing.ScriptedSmtpServer.ReceivedMessage;
import io.vireo.relay.testing.TestCertificate;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Routes with {@code auth}: the engine delivers through a smarthost that requires SMTP AUTH. */
class SmarthostAuthTest {
  private static final String SMARTHOST_IP = "127.0.0.5";
  private static final String USER = "relay@vireo.test";
  private static final String PASSWORD = "s3cret-smarthost-pw";

  @TempDir static Path keys;
  private static TestCertificate certificate;

  @TempDir Path dir;
  private DeliveryHarness harness;
  private LogCapture log;

  @BeforeAll
  static void makeCertificate() throws Exception {
    certificate = TestCertificate.generate(keys, "mx-" + SMARTHOST_IP + ".test");
  }

  @BeforeEach
  void setUp() throws Exception {
    harness = new DeliveryHarness(dir);
    // Everything the relay logs, the delivery log and the client's debug lines included.
    log = new LogCapture("io.vireo", Level.DEBUG);
  }

  @AfterEach
  void tearDown() throws Exception {
    try {
      harness.close();
    } finally {
      log.close();
    }
  }

  private RouteConfig route(String domain, TlsMode tls, String user, String password) {
    return new RouteConfig(
        List.of(domain),
        new HostPort(SMARTHOST_IP, harness.mxPort),
        tls,
        new RouteAuth(user, password));
  }

  @Test
  void aRoutedMessageIsDeliveredAuthenticatedAsTheRoutesUser() throws Exception {
    ScriptedSmtpServer smarthost = harness.server(SMARTHOST_IP).withAuth(USER, PASSWORD);
    harness.settings.routes = List.of(route("routed.test", TlsMode.NONE, USER, PASSWORD));
    harness.start();

    Envelope sent = harness.send("a@sender.test", "x@routed.test");

    harness.awaitState(sent, "x@routed.test", RecipientState.DELIVERED);
    ReceivedMessage received = smarthost.messages().getFirst();
    assertThat(received.authenticatedUser()).isEqualTo(USER);
    assertThat(received.recipients()).containsExactly("x@routed.test");
    assertThat(log.lines()).noneMatch(line -> line.contains(PASSWORD));
  }

  @Test
  void overRequiredTlsTheCredentialsGoAfterStartTls() throws Exception {
    ScriptedSmtpServer smarthost =
        harness
            .server(SMARTHOST_IP)
            .withStartTls(certificate.serverContext())
            .withAuth(USER, PASSWORD)
            .authOnlyAfterStartTls();
    harness.settings.routes = List.of(route("routed.test", TlsMode.REQUIRED, USER, PASSWORD));
    harness.start();

    Envelope sent = harness.send("a@sender.test", "x@routed.test");

    harness.awaitState(sent, "x@routed.test", RecipientState.DELIVERED);
    ReceivedMessage received = smarthost.messages().getFirst();
    assertThat(received.tls()).isTrue();
    assertThat(received.authenticatedUser()).isEqualTo(USER);
  }

  @Test
  void routesThroughOneSmarthostWithTwoAccountsEachSendAsTheirOwnUser() throws Exception {
    ScriptedSmtpServer smarthost =
        harness.server(SMARTHOST_IP).withAuth("alice", "alice-pw").withAuth("bob", "bob-pw");
    harness.settings.routes =
        List.of(
            route("a.test", TlsMode.NONE, "alice", "alice-pw"),
            route("b.test", TlsMode.NONE, "bob", "bob-pw"));
    harness.start();

    for (int i = 0; i < 4; i++) {
      harness.send("s@sender.test", "r" + i + "@a.test", "r" + i + "@b.test");
    }

    List<ReceivedMessage> received = smarthost.awaitMessages(8, DeliveryHarness.WAIT);
    // Each account is its own destination: one recipient per transaction, sent as its route's user.
    assertThat(received).allSatisfy(m -> assertThat(m.recipients()).hasSize(1));
    assertThat(received)
        .filteredOn(m -> m.recipients().getFirst().endsWith("@a.test"))
        .hasSize(4)
        .extracting(ReceivedMessage::authenticatedUser)
        .containsOnly("alice");
    assertThat(received)
        .filteredOn(m -> m.recipients().getFirst().endsWith("@b.test"))
        .hasSize(4)
        .extracting(ReceivedMessage::authenticatedUser)
        .containsOnly("bob");
  }

  @Test
  void rejectedCredentialsDeferTheMailAndSuspendTheRouteInsteadOfBouncing() throws Exception {
    ScriptedSmtpServer smarthost = harness.server(SMARTHOST_IP).withAuth(USER, PASSWORD);
    harness.settings.routes = List.of(route("routed.test", TlsMode.NONE, USER, "a-wrong-pw"));
    harness.start();

    Envelope sent = harness.send("a@sender.test", "x@routed.test");

    harness.awaitAttempts(sent, "x@routed.test", 1);
    RecipientStatus status = harness.status(sent.id(), "x@routed.test");
    assertThat(status.state()).isEqualTo(RecipientState.DEFERRED);
    assertThat(status.lastReply()).contains("rejected the credentials of " + USER);
    assertThat(harness.spool().events(SpoolEvent.Bounced.class)).isEmpty();
    Await.until(
        "the route is suspended",
        DeliveryHarness.WAIT,
        () -> harness.engine().stats().suspensions() >= 1);
    assertThat(smarthost.messages()).isEmpty();
    assertThat(smarthost.commands()).noneMatch(command -> command.startsWith("MAIL"));
    assertThat(log.linesWithThrowables())
        .anyMatch(line -> line.contains("rejected the credentials of " + USER))
        .noneMatch(line -> line.contains("a-wrong-pw"));
  }

  @Test
  void opportunisticTlsWithoutStartTlsDefersWithoutSendingTheCredentials() throws Exception {
    // Offers AUTH but no STARTTLS: what a STARTTLS-stripping attacker shows the relay.
    ScriptedSmtpServer smarthost = harness.server(SMARTHOST_IP).withAuth(USER, PASSWORD);
    harness.settings.routes = List.of(route("routed.test", TlsMode.OPPORTUNISTIC, USER, PASSWORD));
    harness.start();

    Envelope sent = harness.send("a@sender.test", "x@routed.test");

    harness.awaitAttempts(sent, "x@routed.test", 1);
    assertThat(harness.status(sent.id(), "x@routed.test").state())
        .isEqualTo(RecipientState.DEFERRED);
    assertThat(harness.status(sent.id(), "x@routed.test").lastReply()).contains("not encrypted");
    assertThat(smarthost.commands()).noneMatch(command -> command.startsWith("AUTH"));
  }

  @Test
  void credentialsThatCouldNeverBeSentStopTheEngineFromStarting() {
    harness.settings.routes = List.of(route("routed.test", TlsMode.REQUIRED, USER, "pass\nword"));

    assertThatThrownBy(harness::start)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("password")
        .hasMessageNotContaining("pass\nword");
  }

  @Test
  void aRouteWithAuthIsItsOwnDestinationAndAdmitsOnlyItsOwnConnections() {
    HostPort via = new HostPort(SMARTHOST_IP, 2525);
    SmtpCredentials alice = new SmtpCredentials("alice", "alice-pw");
    NextHops.Smarthost hops = new NextHops.Smarthost(via, TlsPolicy.REQUIRED, alice);
    InetSocketAddress address = new InetSocketAddress(SMARTHOST_IP, 2525);

    assertThat(hops.admits(new PoolKey(address, SMARTHOST_IP, TlsPolicy.REQUIRED, alice))).isTrue();
    assertThat(
            hops.admits(
                new PoolKey(
                    address,
                    SMARTHOST_IP,
                    TlsPolicy.REQUIRED,
                    new SmtpCredentials("bob", "bob-pw"))))
        .isFalse();
    assertThat(hops.admits(new PoolKey(address, SMARTHOST_IP, TlsPolicy.REQUIRED))).isFalse();
    assertThat(hops.admits(new PoolKey(address, SMARTHOST_IP, TlsPolicy.NONE, alice))).isFalse();
    NextHops.Smarthost withoutAuth = new NextHops.Smarthost(via, TlsPolicy.REQUIRED);
    assertThat(withoutAuth.admits(new PoolKey(address, SMARTHOST_IP, TlsPolicy.REQUIRED, alice)))
        .isFalse();
    assertThat(hops.toString()).doesNotContain("alice-pw");

    harness.settings.routes =
        List.of(
            route("a.test", TlsMode.NONE, "alice", "alice-pw"),
            route("b.test", TlsMode.NONE, "bob", "bob-pw"));
    Router router = new Router(harness.config(), null); // routed domains need no resolver
    assertThat(((Routing.Deliver) router.route("a.test")).destination())
        .isEqualTo("route:" + SMARTHOST_IP + ":" + harness.mxPort + " as alice");
    assertThat(((Routing.Deliver) router.route("b.test")).destination())
        .isEqualTo("route:" + SMARTHOST_IP + ":" + harness.mxPort + " as bob");
  }
}
