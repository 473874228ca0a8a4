package io.vireo.relay.app;

import static io.vireo.relay.app.MailboxRelays.PASSWORD;
import static io.vireo.relay.app.MailboxRelays.USER;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.config.ConfigLoader;
import io.vireo.relay.testing.Pop3TestClient;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * POP3 on the generic listener: {@code limits.max-connections} and {@code max-connections-per-ip}
 * hold for POP3 with a POP3 refusal, apart from SMTP's budget; the connections count in {@code
 * /metrics}; and a drain (what SIGTERM runs) tells an idle POP3 session goodbye at once, without
 * the UPDATE state, so its deletion marks are dropped.
 */
class Pop3ListenerIntegrationTest {
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  @TempDir Path dir;

  @TempDir static Path shared;
  static MailboxRelays.Credentials credentials;

  @BeforeAll
  static void certificateAndUsers() throws Exception {
    credentials = MailboxRelays.credentials(shared);
  }

  private Relay start(String limits) throws Exception {
    MailboxRelays.deliverTwo(dir);
    return Relay.start(
        ConfigLoader.parse(MailboxRelays.yaml(dir, credentials, limits), "pop3-listener.yaml"));
  }

  @Test
  void maxConnectionsHoldsForPop3AndCountsInMetrics() throws Exception {
    try (Relay relay = start("limits:\n  max-connections: 2\n")) {
      InetSocketAddress pop3 = MailboxRelays.pop3(relay);
      try (Pop3TestClient first = Pop3TestClient.connect(pop3);
          Pop3TestClient second = Pop3TestClient.connect(pop3)) {
        first.expect("+OK");
        second.expect("+OK");
        try (Pop3TestClient third = Pop3TestClient.connect(pop3)) {
          third.expect("-ERR [SYS/TEMP] too many connections");
          assertThat(third.closedByServer()).isTrue();
        }
        // SMTP keeps its own budget: POP3 clients cannot starve mail intake.
        try (var smtp = new java.net.Socket()) {
          smtp.connect(relay.smtpAddresses().getFirst(), 30_000);
          smtp.setSoTimeout(30_000);
          assertThat(new String(smtp.getInputStream().readNBytes(3))).isEqualTo("220");
        }
        PrometheusText metrics =
            PrometheusText.parse(new AdminClient(relay.adminAddress()).get("/metrics").body());
        assertThat(metrics.value("vireo_access_connections_open", "protocol=pop3")).isEqualTo(2);
        assertThat(metrics.value("vireo_access_connections_accepted_total", "protocol=pop3"))
            .isEqualTo(2);
        assertThat(
                metrics.value(
                    "vireo_access_connections_refused_total",
                    "protocol=pop3,reason=max_connections"))
            .isEqualTo(1);
        assertThat(metrics.value("vireo_access_listener_accepting", "protocol=pop3")).isEqualTo(1);
      }
    }
  }

  @Test
  void maxConnectionsPerIpHoldsForPop3() throws Exception {
    try (Relay relay = start("limits:\n  max-connections-per-ip: 1\n")) {
      InetSocketAddress pop3 = MailboxRelays.pop3(relay);
      try (Pop3TestClient first = Pop3TestClient.connect(pop3)) {
        first.expect("+OK");
        try (Pop3TestClient second = Pop3TestClient.connect(pop3)) {
          second.expect("-ERR [SYS/TEMP] too many connections from your address");
        }
      }
    }
  }

  @Test
  void drainEndsIdleSessionsAtOnceWithoutUpdate() throws Exception {
    Relay relay = start("shutdown:\n  grace: 20s\n");
    Thread closing = null;
    try (Pop3TestClient idle = Pop3TestClient.connect(MailboxRelays.pop3(relay));
        Pop3TestClient loggedIn =
            Pop3TestClient.connectTls(
                MailboxRelays.pop3s(relay),
                credentials.certificate().trustingClientContext())) {
      idle.expect("+OK");
      idle.send("CAPA");
      idle.expect("+OK");
      idle.readMultiLine();
      Pop3DialogueIntegrationTest.login(loggedIn);
      loggedIn.expect("+OK logged in, 2 messages");
      loggedIn.send("DELE 1");
      loggedIn.expect("+OK");
      long started = System.nanoTime();
      closing = Thread.ofPlatform().start(relay::close);
      idle.expect("-ERR [SYS/TEMP] server shutting down");
      assertThat(idle.closedByServer()).isTrue();
      // Under TLS the goodbye may be cut with the connection; what matters is that it ends.
      assertThat(endsWithin(loggedIn)).isTrue();
      // Well inside the 20 s grace: idle sessions are not waited for.
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
    } finally {
      if (closing != null) {
        closing.join(DEADLINE.toMillis());
      }
      relay.close();
    }
    assertThat(relay.accessServer(io.vireo.relay.access.AccessProtocol.POP3).orElseThrow().stats().accepting())
        .isFalse();
    // No QUIT, no UPDATE state (RFC 1939 section 6): the DELE mark was dropped.
    assertThat(MailboxRelays.messagesLeft(dir)).isEqualTo(2);
  }

  /** Reads until the server ends the connection (a goodbye line at most); false if it does not. */
  private static boolean endsWithin(Pop3TestClient client) {
    try {
      for (int i = 0; i < 5; i++) {
        client.read();
      }
      return false;
    } catch (java.net.SocketTimeoutException e) {
      return false;
    } catch (java.io.IOException e) {
      return true; // end of input, or a reset: the session is over
    }
  }
}
