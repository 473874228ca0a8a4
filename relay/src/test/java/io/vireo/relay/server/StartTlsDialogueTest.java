package io.vireo.relay.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.relay.testing.PemCertificate;
import io.vireo.relay.testing.PemCertificate.KeyFormat;
import io.vireo.relay.testing.PemCertificate.KeyType;
import io.vireo.relay.testing.SmtpTestClient;
import io.vireo.relay.tls.TlsServerContext;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** STARTTLS (RFC 3207) and implicit TLS (RFC 8314) on a real server, as transcripts. */
class StartTlsDialogueTest {
  private static final String MESSAGE = "Subject: tls\r\n\r\nOver TLS.\r\n";

  @TempDir static Path certificates;
  private static PemCertificate certificate;
  private static SSLContext client;

  private ServerFixture fixture;

  @BeforeAll
  static void makeCertificate() throws Exception {
    certificate = PemCertificate.generate(certificates, "mx.test", KeyType.EC, KeyFormat.PKCS8);
    client = certificate.trustingClientContext();
  }

  @BeforeEach
  void startServer() throws IOException {
    fixture =
        new ServerFixture()
            .tls(TlsServerContext.load(certificate.certFile(), certificate.keyFile()))
            .implicitTlsListener()
            .start();
  }

  @AfterEach
  void stopServer() {
    fixture.close();
  }

  /** Connects, says EHLO, STARTTLS, and completes the handshake. */
  private SmtpTestClient connectOverStartTls() throws IOException {
    SmtpTestClient c = fixture.connectAndEhlo();
    c.send("STARTTLS").expect(220, "2.0.0");
    c.startTls(client);
    return c;
  }

  @Test
  void startTlsIsOfferedBeforeTlsAndNotAfter() throws IOException {
    try (SmtpTestClient c = fixture.connect()) {
      assertThat(c.send("EHLO client.test").expect(250).lines()).contains("STARTTLS");
      assertThat(c.send("STARTTLS").expect(220, "2.0.0").text())
          .isEqualTo("2.0.0 Ready to start TLS");
      assertThat(c.startTls(client)).isEqualTo("TLSv1.3");
      assertThat(c.send("EHLO client.test").expect(250).lines())
          .startsWith("mx.test")
          .doesNotContain("STARTTLS");
      c.send("STARTTLS").expect(503, "5.5.1");
      c.send("QUIT").expect(221);
    }
  }

  @Test
  void theHandshakeResetsTheSessionSoTheClientMustSayEhloAgain() throws IOException {
    try (SmtpTestClient c = connectOverStartTls()) {
      c.send("MAIL FROM:<a@client.test>").expect(503, "5.5.1");
      c.send("EHLO client.test").expect(250);
      c.send("MAIL FROM:<a@client.test>").expect(250, "2.1.0");
    }
  }

  /**
   * CVE-2011-0411: a man in the middle appends commands to the client's STARTTLS in the same
   * packet. They must not run after the handshake as if the client had sent them over TLS.
   */
  @Test
  void plaintextPipelinedBehindStartTlsIsDiscardedNotExecuted() throws IOException {
    try (SmtpTestClient c = fixture.connectAndEhlo()) {
      c.sendRaw(
          "STARTTLS\r\n"
              + "EHLO evil.test\r\n"
              + "MAIL FROM:<attacker@evil.test>\r\n"
              + "RCPT TO:<victim@local.test>\r\n");
      c.expect(220, "2.0.0");
      c.startTls(client);
      // Had the injected EHLO and MAIL run, this MAIL would be a nested one (503 sender already
      // specified), and replies for them would come before ours.
      c.send("NOOP").expect(250, "2.0.0");
      c.send("MAIL FROM:<a@client.test>").expect(503, "5.5.1"); // EHLO first: nothing ran
      c.send("EHLO client.test").expect(250);
      c.send("MAIL FROM:<a@client.test>").expect(250, "2.1.0");
      c.send("RCPT TO:<b@local.test>").expect(250, "2.1.5");
      c.send("DATA").expect(354);
      c.sendRaw(MESSAGE + ".\r\n").expect(250, "2.0.0");
    }
    assertThat(fixture.spool.only().envelope().sender()).isEqualTo("a@client.test");
  }

  @Test
  void aMessageOverTlsRecordsVersionAndCipherInItsReceivedHeader() throws IOException {
    try (SmtpTestClient c = connectOverStartTls()) {
      c.send("EHLO client.test").expect(250);
      c.send("MAIL FROM:<a@client.test>").expect(250);
      c.send("RCPT TO:<b@local.test>").expect(250);
      c.send("DATA").expect(354);
      c.sendRaw(MESSAGE + ".\r\n").expect(250, "2.0.0");
    }
    String stored = new String(fixture.spool.only().content().toByteArray(), UTF_8);
    assertThat(stored)
        .startsWith("Received: from client.test ([127.0.0.1])\r\n\t(using TLSv1.3 with cipher TLS_")
        .contains(" with ESMTPS id ")
        .contains("\r\n\r\nOver TLS.\r\n");
  }

  @Test
  void startTlsOutOfSequenceOrWithAnArgumentIsRefused() throws IOException {
    try (SmtpTestClient c = fixture.connect()) {
      c.send("STARTTLS").expect(503, "5.5.1");
      c.send("EHLO client.test").expect(250);
      c.send("STARTTLS now").expect(501, "5.5.4");
      c.send("MAIL FROM:<a@client.test>").expect(250);
      assertThat(c.send("STARTTLS").expect(503, "5.5.1").text()).contains("transaction");
      c.send("RSET").expect(250);
      c.send("STARTTLS").expect(220);
    }
  }

  @Test
  void tls12IsAcceptedToo() throws IOException {
    try (SmtpTestClient c = fixture.connectAndEhlo()) {
      c.send("STARTTLS").expect(220);
      SSLContext tls12 = onlyProtocol("TLSv1.2");
      assertThat(c.startTls(tls12)).isEqualTo("TLSv1.2");
      c.send("EHLO client.test").expect(250);
    }
  }

  @Test
  void theServerOffersOnlyTls12And13() throws IOException {
    assertThat(TlsServerContext.load(certificate.certFile(), certificate.keyFile()).protocols())
        .containsExactly("TLSv1.3", "TLSv1.2");
  }

  @Test
  void plaintextWhereTheHandshakeShouldBeEndsTheConnection() throws IOException {
    try (SmtpTestClient c = fixture.connectAndEhlo()) {
      c.send("STARTTLS").expect(220);
      c.send("EHLO client.test");
      assertNoSmtpReply(c.readUntilClosed());
    }
    assertThat(fixture.spool.messages()).isEmpty();
  }

  @Test
  void implicitTlsListenerHandshakesBeforeTheGreeting() throws IOException {
    try (SmtpTestClient c = SmtpTestClient.connect(fixture.implicitTlsAddress())) {
      assertThat(c.startTls(client)).isEqualTo("TLSv1.3");
      assertThat(c.expect(220).text()).isEqualTo("mx.test ESMTP Vireo");
      assertThat(c.send("EHLO client.test").expect(250).lines()).doesNotContain("STARTTLS");
      c.send("STARTTLS").expect(503, "5.5.1");
      c.send("MAIL FROM:<a@client.test>").expect(250);
      c.send("RCPT TO:<b@local.test>").expect(250);
      c.sendRaw("BDAT " + MESSAGE.length() + " LAST\r\n" + MESSAGE).expect(250, "2.0.0");
    }
    String stored = new String(fixture.spool.only().content().toByteArray(), UTF_8);
    assertThat(stored).contains("(using TLSv1.3 with cipher").contains("with ESMTPS id");
  }

  @Test
  void plaintextClientOnTheImplicitTlsPortGetsNoGreeting() throws IOException {
    try (SmtpTestClient c = SmtpTestClient.connect(fixture.implicitTlsAddress())) {
      c.send("EHLO client.test");
      assertNoSmtpReply(c.readUntilClosed());
    }
  }

  @Test
  void shutdownEndsAnIdleSessionOverTlsWith421() throws Exception {
    try (SmtpTestClient c = connectOverStartTls()) {
      c.send("EHLO client.test").expect(250);
      CompletableFuture<Void> closing =
          CompletableFuture.runAsync(() -> fixture.server().close(Duration.ofSeconds(5)));
      assertThat(c.expect(421, "4.3.2").text()).contains("shutting down");
      closing.get(10, TimeUnit.SECONDS);
    }
    assertThat(fixture.server().activeSessions()).isZero();
  }

  @Test
  void shutdownDoesNotWaitForAHandshakeTheClientNeverSends() throws Exception {
    try (ServerFixture patient =
            new ServerFixture()
                .timeouts(Duration.ofMinutes(5), Duration.ofMinutes(5))
                .tls(TlsServerContext.load(certificate.certFile(), certificate.keyFile()))
                .implicitTlsListener()
                .start();
        SmtpTestClient silent = SmtpTestClient.connect(patient.implicitTlsAddress())) {
      ServerFixture.await("the session to start", () -> patient.server().activeSessions() == 1);
      long started = System.nanoTime();
      patient.server().close(Duration.ofSeconds(30));
      // Without the wake-up it would wait out the 30 s grace and then abort the session.
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
      assertThat(patient.server().activeSessions()).isZero();
      assertNoSmtpReply(silent.readUntilClosed());
    }
  }

  @Test
  void idleClientsTimeOutOverTlsAndInAHandshakeTheyNeverStart() throws Exception {
    try (ServerFixture quick =
        new ServerFixture()
            .timeouts(Duration.ofMillis(300), Duration.ofSeconds(10))
            .tls(TlsServerContext.load(certificate.certFile(), certificate.keyFile()))
            .implicitTlsListener()
            .start()) {
      try (SmtpTestClient c = quick.connectAndEhlo()) {
        c.send("STARTTLS").expect(220);
        c.startTls(client);
        c.expect(421, "4.4.2");
      }
      try (SmtpTestClient silent = SmtpTestClient.connect(quick.implicitTlsAddress())) {
        assertNoSmtpReply(silent.readUntilClosed());
      }
      ServerFixture.await("the sessions to end", () -> quick.server().activeSessions() == 0);
    }
  }

  /** At most a TLS alert record (content type 21), never a reply in plaintext. */
  private static void assertNoSmtpReply(byte[] received) {
    if (received.length > 0) {
      assertThat(received[0]).as("TLS alert record").isEqualTo((byte) 21);
    }
  }

  /** A client context that offers one protocol version only and trusts the test certificate. */
  private static SSLContext onlyProtocol(String protocol) throws IOException {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("test-ca", certificate.certificate());
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(trust);
      SSLContext context = SSLContext.getInstance(protocol);
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException(e);
    }
  }
}
