package io.vireo.relay.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vireo.relay.testing.ScriptedSmtpServer;
import io.vireo.relay.testing.TestCertificate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StartTlsTest {
  private static final String MX = "mx1.example.test";
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final ClientTimeouts TIMEOUTS = ClientTimeouts.uniform(Duration.ofSeconds(10));
  private static final byte[] HELLO =
      "Subject: tls\r\n\r\nover TLS\r\n".getBytes(StandardCharsets.US_ASCII);

  @TempDir static Path keys;
  private static TestCertificate certificate;

  private ScriptedSmtpServer server;
  private final List<SmtpClientConnection> opened = new ArrayList<>();

  @BeforeAll
  static void makeCertificate() throws Exception {
    certificate = TestCertificate.generate(keys, MX);
  }

  @BeforeEach
  void startServer() throws Exception {
    server =
        new ScriptedSmtpServer("127.0.0.3").hostname(MX).withStartTls(certificate.serverContext());
  }

  @AfterEach
  void stopServer() throws IOException {
    opened.forEach(SmtpClientConnection::close);
    server.close();
  }

  private SmtpClientConnection connect(TlsPolicy tls, SSLContext trust, String serverName)
      throws SmtpClientException {
    SmtpClientConnection connection =
        SmtpClientConnection.open(
            server.address(), serverName, "relay.vireo.test", tls, trust, TIMEOUTS);
    opened.add(connection);
    return connection;
  }

  private static OutboundMessage hello() {
    return OutboundMessage.simple("s@vireo.test", List.of("a@example.test"), HELLO);
  }

  @Test
  void opportunisticUpgradesAndReadsCapabilitiesAgain() throws Exception {
    SmtpClientConnection connection = connect(TlsPolicy.OPPORTUNISTIC, null, MX);

    assertThat(connection.tlsActive()).isTrue();
    // After TLS this server stops offering STARTTLS and starts offering AUTH: proof of a fresh
    // EHLO.
    assertThat(connection.capabilities().startTls()).isFalse();
    assertThat(connection.capabilities().authMechanisms()).contains("PLAIN", "LOGIN");
    assertThat(connection.send(hello()).allDelivered()).isTrue();
    assertThat(server.awaitMessages(1, WAIT).getFirst().tls()).isTrue();
    assertThat(server.commands(1))
        .startsWith("EHLO relay.vireo.test", "STARTTLS", "EHLO relay.vireo.test");
  }

  @Test
  void anIdleTlsConnectionStaysUsable() throws Exception {
    SmtpClientConnection connection = connect(TlsPolicy.OPPORTUNISTIC, null, MX);

    assertThat(connection.usable()).isTrue();
    assertThat(connection.send(hello()).allDelivered()).isTrue();
    // TLS 1.3 session tickets and the like must not pass for unsolicited server replies.
    assertThat(connection.usable()).isTrue();
    assertThat(connection.send(hello()).allDelivered()).isTrue();
  }

  @Test
  void opportunisticStaysPlainWhenNotOffered() throws Exception {
    server.close();
    server = new ScriptedSmtpServer("127.0.0.3").hostname(MX);

    SmtpClientConnection connection = connect(TlsPolicy.OPPORTUNISTIC, null, MX);

    assertThat(connection.tlsActive()).isFalse();
    assertThat(connection.send(hello()).allDelivered()).isTrue();
    assertThat(server.commands(1)).doesNotContain("STARTTLS");
  }

  @Test
  void opportunisticContinuesPlainWhenStartTlsIsRefused() throws Exception {
    server.refuseStartTls("454 4.7.0 TLS not available");

    SmtpClientConnection connection = connect(TlsPolicy.OPPORTUNISTIC, null, MX);

    assertThat(connection.tlsActive()).isFalse();
    assertThat(connection.send(hello()).allDelivered()).isTrue();
    assertThat(server.connectionCount()).isEqualTo(1);
  }

  @Test
  void opportunisticRetriesInPlainTextAfterAFailedHandshake() throws Exception {
    // A server context without a key cannot complete any handshake.
    SSLContext broken = SSLContext.getInstance("TLS");
    broken.init(null, null, null);
    server.withStartTls(broken);

    SmtpClientConnection connection = connect(TlsPolicy.OPPORTUNISTIC, null, MX);

    assertThat(connection.tlsActive()).isFalse();
    assertThat(server.connectionCount()).isEqualTo(2);
    assertThat(server.commands(2)).doesNotContain("STARTTLS");
    assertThat(connection.send(hello()).allDelivered()).isTrue();
  }

  @Test
  void noneNeverSendsStartTls() throws Exception {
    SmtpClientConnection connection = connect(TlsPolicy.NONE, null, MX);

    assertThat(connection.tlsActive()).isFalse();
    assertThat(connection.capabilities().startTls()).isTrue();
    assertThat(server.commands(1)).doesNotContain("STARTTLS");
  }

  @Test
  void requiredAcceptsAnyCertificate() throws Exception {
    SmtpClientConnection connection = connect(TlsPolicy.REQUIRED, null, MX);

    assertThat(connection.tlsActive()).isTrue();
    assertThat(connection.send(hello()).allDelivered()).isTrue();
  }

  @Test
  void requiredFailsWhenStartTlsIsNotOffered() throws IOException {
    server.close();
    server = new ScriptedSmtpServer("127.0.0.3").hostname(MX);

    SmtpClientException failure =
        catchThrowableOfType(
            SmtpClientException.class, () -> connect(TlsPolicy.REQUIRED, null, MX));

    assertThat(failure).hasMessageContaining("does not offer STARTTLS");
    assertThat(failure.response()).isNull();
    assertThat(failure.beforeDataSent()).isTrue();
    server.awaitSessionsEnded(1, WAIT);
    assertThat(server.commands(1)).endsWith("QUIT");
  }

  @Test
  void requiredFailsWhenStartTlsIsRefused() {
    server.refuseStartTls("454 4.7.0 TLS not available");

    SmtpClientException failure =
        catchThrowableOfType(
            SmtpClientException.class, () -> connect(TlsPolicy.REQUIRED, null, MX));

    assertThat(failure.response().code()).isEqualTo(454);
  }

  @Test
  void verifyRejectsASelfSignedCertificateWithTheDefaultTrustStore() {
    SmtpClientException failure =
        catchThrowableOfType(SmtpClientException.class, () -> connect(TlsPolicy.VERIFY, null, MX));

    assertThat(failure).hasMessageContaining("TLS handshake");
    assertThat(failure).hasCauseInstanceOf(SSLHandshakeException.class);
    assertThat(server.connectionCount()).isEqualTo(1);
  }

  @Test
  void verifyAcceptsACertificateTheSuppliedContextTrusts() throws Exception {
    SmtpClientConnection connection =
        connect(TlsPolicy.VERIFY, certificate.trustingClientContext(), MX);

    assertThat(connection.tlsActive()).isTrue();
    assertThat(connection.send(hello()).allDelivered()).isTrue();
    assertThat(server.awaitMessages(1, WAIT).getFirst().tls()).isTrue();
  }

  @Test
  void verifyRejectsACertificateForAnotherName() throws Exception {
    SSLContext trust = certificate.trustingClientContext();

    SmtpClientException failure =
        catchThrowableOfType(
            SmtpClientException.class, () -> connect(TlsPolicy.VERIFY, trust, "mx2.example.test"));

    assertThat(failure).hasCauseInstanceOf(SSLHandshakeException.class);
  }

  @Test
  void bytesInjectedAfterTheStartTlsReplyAreRefused() {
    server.injectAfterStartTls("250-injected\r\n250 PIPELINING\r\n");

    SmtpClientException failure =
        catchThrowableOfType(
            SmtpClientException.class, () -> connect(TlsPolicy.OPPORTUNISTIC, null, MX));

    assertThat(failure).hasMessageContaining("after its STARTTLS reply");
    assertThat(server.connectionCount()).isEqualTo(1);
  }
}
