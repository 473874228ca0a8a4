package io.vireo.relay.server;

import io.vireo.relay.intake.MessageIntake;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.relay.delivery.LogCapture;
import io.vireo.relay.listen.Listener;
import io.vireo.relay.testing.PemCertificate;
import io.vireo.relay.testing.PemCertificate.KeyFormat;
import io.vireo.relay.testing.PemCertificate.KeyType;
import io.vireo.relay.testing.SmtpTestClient;
import io.vireo.relay.tls.TlsServerContext;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PROXY protocol on the SMTP listeners: 127.0.0.1 plays the load balancer; clients connecting
 * from 127.0.0.2 are direct. The real client the header names is the one the server judges,
 * counts, writes into the Received header and logs.
 */
class ProxyProtocolTest {
  private static final InetAddress BALANCER = InetAddress.ofLiteral("127.0.0.1");
  private static final InetAddress DIRECT = InetAddress.ofLiteral("127.0.0.2");
  private static final Duration HEADER_TIMEOUT = Duration.ofMillis(500);
  private static final String MESSAGE = "Subject: proxied\r\n\r\nHello.\r\n";

  private ServerFixture fixture;

  @AfterEach
  void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private void start(ServerFixture configured) throws IOException {
    fixture = configured.proxyFrom(HEADER_TIMEOUT, "127.0.0.1/32").start();
  }

  private SmtpTestClient viaBalancer() throws IOException {
    return SmtpTestClient.connect(fixture.address(), BALANCER);
  }

  private static String v1(String client) {
    return "PROXY TCP4 " + client + " 127.0.0.1 40000 25\r\n";
  }

  /** A v2 PROXY header for an IPv4 client, with one TLV (ALPN "smtp") to skip. */
  private static byte[] v2(String client) {
    String source = HexFormat.of().formatHex(InetAddress.ofLiteral(client).getAddress());
    return HexFormat.of()
        .parseHex("0d0a0d0a000d0a515549540a" + "2111" + "0013" + source + "7f000001" + "9c40"
            + "0019" + "010004736d7470");
  }

  private static void sendMessage(SmtpTestClient c) throws IOException {
    c.send("EHLO client.test").expect(250);
    c.send("MAIL FROM:<a@client.test>").expect(250);
    c.send("RCPT TO:<b@local.test>").expect(250);
    c.send("DATA").expect(354);
    c.sendRaw(MESSAGE + ".\r\n").expect(250);
  }

  @Test
  void v1HeaderNamesTheClientOfTheReceivedHeaderTheEnvelopeAndTheLog() throws IOException {
    start(new ServerFixture());
    try (LogCapture log = new LogCapture(MessageIntake.class.getName());
        SmtpTestClient c = viaBalancer()) {
      c.sendRaw(v1("203.0.113.9")).expect(220);
      sendMessage(c);
      c.send("QUIT").expect(221);
      ServerFixture.await("the log line", () -> !log.linesContaining("client=").isEmpty());
      assertThat(log.linesContaining("client=")).singleElement().asString()
          .contains("client=[203.0.113.9]");
    }
    assertThat(fixture.spool.only().envelope().clientAddress()).isEqualTo("203.0.113.9");
    assertThat(new String(fixture.spool.only().content().toByteArray(), UTF_8))
        .startsWith("Received: from client.test ([203.0.113.9])")
        .doesNotContain("127.0.0.1");
  }

  @Test
  void relayPolicyJudgesTheRealClientNotTheBalancer() throws IOException {
    start(new ServerFixture()); // 127.0.0.0/8 may relay
    try (SmtpTestClient outsider = viaBalancer()) {
      outsider.sendRaw(v2("203.0.113.9")).expect(220);
      outsider.send("EHLO client.test").expect(250);
      outsider.send("MAIL FROM:<a@client.test>").expect(250);
      outsider.send("RCPT TO:<x@elsewhere.example>").expect(554, "5.7.1");
    }
    try (SmtpTestClient insider = viaBalancer()) {
      insider.sendRaw(v2("127.0.0.50")).expect(220);
      insider.send("EHLO client.test").expect(250);
      insider.send("MAIL FROM:<a@client.test>").expect(250);
      insider.send("RCPT TO:<x@elsewhere.example>").expect(250);
    }
  }

  @Test
  void perAddressLimitCountsRealClients() throws IOException {
    start(new ServerFixture().maxConnections(20, 1));
    try (SmtpTestClient first = viaBalancer();
        SmtpTestClient other = viaBalancer();
        SmtpTestClient again = viaBalancer()) {
      first.sendRaw(v1("203.0.113.9")).expect(220);
      other.sendRaw(v1("203.0.113.10")).expect(220);
      again.sendRaw(v1("203.0.113.9")).expect(421, "4.7.0");
    }
  }

  @Test
  void localCommandKeepsTheBalancersAddress() throws IOException {
    start(new ServerFixture());
    try (SmtpTestClient c = viaBalancer()) {
      c.sendRaw(HexFormat.of().parseHex("0d0a0d0a000d0a515549540a" + "2000" + "0000"))
          .expect(220);
      sendMessage(c);
    }
    assertThat(fixture.spool.only().envelope().clientAddress()).isEqualTo("127.0.0.1");
  }

  @Test
  void balancerConnectionWithoutHeaderIsClosedWithOneLogLine() throws IOException {
    start(new ServerFixture());
    try (LogCapture log = new LogCapture(Listener.class.getName());
        SmtpTestClient c = viaBalancer()) {
      c.send("EHLO client.test");
      assertThat(c.readUntilClosed()).isEmpty();
      assertThat(log.linesContaining("refused connection from 127.0.0.1"))
          .singleElement()
          .asString()
          .contains("bad PROXY protocol header: not a PROXY protocol header");
    }
    assertThat(fixture.server().activeSessions()).isZero();
  }

  @Test
  void silentBalancerConnectionIsClosedAfterTheHeaderTimeout() throws IOException {
    start(new ServerFixture());
    try (LogCapture log = new LogCapture(Listener.class.getName());
        SmtpTestClient c = viaBalancer()) {
      long started = System.nanoTime();
      assertThat(c.readUntilClosed()).isEmpty(); // no greeting while the header is awaited
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .isGreaterThanOrEqualTo(HEADER_TIMEOUT.minusMillis(50));
      assertThat(log.linesContaining("no PROXY protocol header within PT0.5S")).hasSize(1);
    }
  }

  @Test
  void malformedHeaderIsRefused() throws IOException {
    start(new ServerFixture());
    try (LogCapture log = new LogCapture(Listener.class.getName());
        SmtpTestClient c = viaBalancer()) {
      c.sendRaw("PROXY TCP4 203.0.113 127.0.0.1 40000 25\r\nEHLO client.test\r\n");
      assertThat(c.readUntilClosed()).isEmpty();
      assertThat(log.linesContaining("bad IPv4 address \"203.0.113\"")).hasSize(1);
    }
  }

  @Test
  void directClientsSpeakPlainSmtpUnderTheirOwnAddress() throws IOException {
    start(new ServerFixture());
    try (SmtpTestClient c = SmtpTestClient.connect(fixture.address(), DIRECT)) {
      c.expect(220);
      sendMessage(c);
    }
    assertThat(fixture.spool.only().envelope().clientAddress()).isEqualTo("127.0.0.2");
  }

  @Test
  void headerFromAPeerNotInTheListIsNotBelieved() throws IOException {
    // The header comes before the greeting, so the early-talker rule closes the connection.
    start(new ServerFixture().greetingDelay(Duration.ofSeconds(5)));
    try (SmtpTestClient c = SmtpTestClient.connect(fixture.address(), DIRECT)) {
      c.sendRaw(v1("203.0.113.9"));
      c.expect(554, "5.5.0");
      c.expectClosed();
    }
    assertThat(fixture.spool.messages()).isEmpty();
  }

  @Test
  void onTheImplicitTlsPortTheHeaderComesBeforeTheHandshake(@TempDir Path certificates)
      throws Exception {
    PemCertificate certificate =
        PemCertificate.generate(certificates, "mx.test", KeyType.EC, KeyFormat.PKCS8);
    start(
        new ServerFixture()
            .tls(TlsServerContext.load(certificate.certFile(), certificate.keyFile()))
            .implicitTlsListener());
    try (SmtpTestClient c = SmtpTestClient.connect(fixture.implicitTlsAddress(), BALANCER)) {
      c.sendRaw(v2("203.0.113.9"));
      assertThat(c.startTls(certificate.trustingClientContext())).isEqualTo("TLSv1.3");
      c.expect(220);
      sendMessage(c);
    }
    assertThat(new String(fixture.spool.only().content().toByteArray(), UTF_8))
        .startsWith("Received: from client.test ([203.0.113.9])");
  }
}
