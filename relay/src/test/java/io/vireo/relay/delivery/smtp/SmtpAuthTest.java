package io.vireo.relay.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Level;
import io.vireo.relay.delivery.LogCapture;
import io.vireo.relay.testing.ScriptedSmtpServer;
import io.vireo.relay.testing.ScriptedSmtpServer.ReceivedMessage;
import io.vireo.relay.testing.TestCertificate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SMTP AUTH (RFC 4954) on the client: mechanisms, failures, and when credentials stay home. */
class SmtpAuthTest {
  private static final String MX = "smarthost.example.test";
  private static final String USER = "relay@vireo.test";
  private static final String PASSWORD = "c0rrect-h0rse";
  private static final SmtpCredentials CREDENTIALS = new SmtpCredentials(USER, PASSWORD);
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final ClientTimeouts TIMEOUTS = ClientTimeouts.uniform(Duration.ofSeconds(10));
  private static final byte[] HELLO =
      "Subject: auth\r\n\r\nauthenticated\r\n".getBytes(StandardCharsets.US_ASCII);

  @TempDir static Path keys;
  private static TestCertificate certificate;

  private ScriptedSmtpServer server;
  private final List<SmtpClientConnection> opened = new ArrayList<>();

  @BeforeAll
  static void makeCertificate() throws Exception {
    certificate = TestCertificate.generate(keys, MX);
  }

  @BeforeEach
  void startServer() throws IOException {
    server = new ScriptedSmtpServer("127.0.0.3").hostname(MX).withAuth(USER, PASSWORD);
  }

  @AfterEach
  void stopServer() throws IOException {
    opened.forEach(SmtpClientConnection::close);
    server.close();
  }

  private SmtpClientConnection connect(TlsPolicy tls, SmtpCredentials credentials)
      throws SmtpClientException {
    SmtpClientConnection connection =
        SmtpClientConnection.open(
            server.address(), MX, "relay.vireo.test", tls, credentials, null, TIMEOUTS);
    opened.add(connection);
    return connection;
  }

  private SmtpClientException failureOf(TlsPolicy tls, SmtpCredentials credentials) {
    SmtpClientException failure =
        catchThrowableOfType(SmtpClientException.class, () -> connect(tls, credentials));
    assertThat(failure).as("opening the connection fails").isNotNull();
    return failure;
  }

  private static OutboundMessage hello() {
    return OutboundMessage.simple("s@vireo.test", List.of("a@example.test"), HELLO);
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  /** What the server received on its first connection, once that session is over. */
  private List<String> commandsOfEndedSession() {
    server.awaitSessionsEnded(1, WAIT);
    return server.commands(1);
  }

  private static boolean isAuth(String command) {
    return command.regionMatches(true, 0, "AUTH", 0, 4);
  }

  @Test
  void plainIsPreferredAndGoesAsAnInitialResponse() throws Exception {
    SmtpClientConnection connection = connect(TlsPolicy.NONE, CREDENTIALS);

    assertThat(connection.authenticatedAs()).contains(USER);
    assertThat(connection.send(hello()).allDelivered()).isTrue();
    ReceivedMessage received = server.awaitMessages(1, WAIT).getFirst();
    assertThat(received.authenticatedUser()).isEqualTo(USER);
    // RFC 4616 section 2: empty authzid, NUL, authcid, NUL, password.
    assertThat(server.commands(1))
        .startsWith("EHLO relay.vireo.test", "AUTH PLAIN " + base64("\0" + USER + "\0" + PASSWORD));
  }

  @Test
  void loginIsUsedWhenPlainIsNotOffered() throws Exception {
    server.authMechanisms("CRAM-MD5", "LOGIN");

    SmtpClientConnection connection = connect(TlsPolicy.NONE, CREDENTIALS);

    assertThat(connection.authenticatedAs()).contains(USER);
    assertThat(connection.send(hello()).allDelivered()).isTrue();
    assertThat(server.awaitMessages(1, WAIT).getFirst().authenticatedUser()).isEqualTo(USER);
    assertThat(server.commands(1))
        .startsWith("EHLO relay.vireo.test", "AUTH LOGIN", base64(USER), base64(PASSWORD));
  }

  @Test
  void aPlainResponseTooLongForOneCommandLineFollowsAnEmptyChallenge() throws Exception {
    String longPassword = "p".repeat(400);
    server.close();
    server = new ScriptedSmtpServer("127.0.0.3").hostname(MX).withAuth(USER, longPassword);

    SmtpClientConnection connection =
        connect(TlsPolicy.NONE, new SmtpCredentials(USER, longPassword));

    assertThat(connection.authenticatedAs()).contains(USER);
    assertThat(server.commands(1))
        .startsWith(
            "EHLO relay.vireo.test", "AUTH PLAIN", base64("\0" + USER + "\0" + longPassword));
  }

  @Test
  void rejectedCredentialsFailTheConnectionWith535AndQuit() {
    SmtpClientException failure =
        failureOf(TlsPolicy.NONE, new SmtpCredentials(USER, "wrong-password"));

    // Carried as the reply, classified by the caller like every failure to open: temporary.
    assertThat(failure.response().code()).isEqualTo(535);
    assertThat(failure.response().enhancedStatus()).isEqualTo("5.7.8");
    assertThat(failure.beforeDataSent()).isTrue();
    assertThat(failure).hasMessageContaining("rejected the credentials of " + USER);
    assertThat(failure.getMessage()).doesNotContain("wrong-password");
    assertThat(commandsOfEndedSession()).endsWith("QUIT").noneMatch(c -> c.startsWith("MAIL"));
  }

  @Test
  void aTemporaryAuthFailureCarriesThe454() {
    server.onAuth(user -> "454 4.7.0 Temporary authentication failure");

    SmtpClientException failure = failureOf(TlsPolicy.NONE, CREDENTIALS);

    assertThat(failure.response().code()).isEqualTo(454);
    assertThat(failure.response().isTransient()).isTrue();
    assertThat(failure).hasMessageContaining("could not authenticate " + USER + " for now");
  }

  @Test
  void aServerWithoutAuthIsNotSentMailUnauthenticated() throws IOException {
    server.close();
    server = new ScriptedSmtpServer("127.0.0.3").hostname(MX);

    SmtpClientException failure = failureOf(TlsPolicy.NONE, CREDENTIALS);

    assertThat(failure).hasMessageContaining("does not offer AUTH");
    assertThat(failure.response()).isNull();
    assertThat(commandsOfEndedSession()).containsExactly("EHLO relay.vireo.test", "QUIT");
  }

  @Test
  void aServerOfferingNoMechanismThisClientSpeaksGetsNoCredentials() {
    server.authMechanisms("CRAM-MD5", "SCRAM-SHA-256");

    SmtpClientException failure = failureOf(TlsPolicy.NONE, CREDENTIALS);

    assertThat(failure).hasMessageContaining("none this client speaks");
    assertThat(commandsOfEndedSession()).noneMatch(SmtpAuthTest::isAuth);
  }

  @Test
  void opportunisticWithoutStartTlsNeverSendsTheCredentials() {
    // AUTH is offered in plain text, as a STARTTLS-stripping attacker would leave it.
    SmtpClientException failure = failureOf(TlsPolicy.OPPORTUNISTIC, CREDENTIALS);

    assertThat(failure).hasMessageContaining("not encrypted");
    assertThat(failure.response()).isNull();
    assertThat(commandsOfEndedSession())
        .containsExactly("EHLO relay.vireo.test", "QUIT")
        .noneMatch(SmtpAuthTest::isAuth);
  }

  @Test
  void opportunisticWithARefusedStartTlsNeverSendsTheCredentials() throws Exception {
    server.withStartTls(certificate.serverContext()).refuseStartTls("454 4.7.0 TLS not available");

    SmtpClientException failure = failureOf(TlsPolicy.OPPORTUNISTIC, CREDENTIALS);

    assertThat(failure).hasMessageContaining("not encrypted");
    assertThat(commandsOfEndedSession()).contains("STARTTLS").noneMatch(SmtpAuthTest::isAuth);
  }

  @Test
  void aFailedHandshakeIsNotRetriedInPlainTextWhenTheRouteAuthenticates() throws Exception {
    SSLContext broken = SSLContext.getInstance("TLS");
    broken.init(null, null, null); // no key: every handshake fails
    server.withStartTls(broken);

    SmtpClientException failure = failureOf(TlsPolicy.OPPORTUNISTIC, CREDENTIALS);

    assertThat(failure).hasMessageContaining("no plain-text retry");
    server.awaitSessionsEnded(1, WAIT);
    assertThat(server.connectionCount()).isEqualTo(1);
    assertThat(server.commands(1)).noneMatch(SmtpAuthTest::isAuth);
  }

  @Test
  void authenticatesAfterStartTlsAndTheSecondEhlo() throws Exception {
    server.withStartTls(certificate.serverContext()).authOnlyAfterStartTls();

    SmtpClientConnection connection = connect(TlsPolicy.OPPORTUNISTIC, CREDENTIALS);

    assertThat(connection.tlsActive()).isTrue();
    assertThat(connection.authenticatedAs()).contains(USER);
    assertThat(connection.send(hello()).allDelivered()).isTrue();
    ReceivedMessage received = server.awaitMessages(1, WAIT).getFirst();
    assertThat(received.tls()).isTrue();
    assertThat(received.authenticatedUser()).isEqualTo(USER);
    assertThat(server.commands(1))
        .startsWith(
            "EHLO relay.vireo.test",
            "STARTTLS",
            "EHLO relay.vireo.test",
            "AUTH PLAIN " + base64("\0" + USER + "\0" + PASSWORD));
  }

  @Test
  void requiredTlsAuthenticatesToo() throws Exception {
    server.withStartTls(certificate.serverContext()).authOnlyAfterStartTls();

    SmtpClientConnection connection = connect(TlsPolicy.REQUIRED, CREDENTIALS);

    assertThat(connection.authenticatedAs()).contains(USER);
    assertThat(connection.send(hello()).allDelivered()).isTrue();
  }

  @Test
  void withoutCredentialsNothingIsAuthenticated() throws Exception {
    SmtpClientConnection connection = connect(TlsPolicy.NONE, null);

    assertThat(connection.authenticatedAs()).isEmpty();
    // This server insists on AUTH: RFC 4954 section 6, 530 5.7.0.
    assertThat(connection.send(hello()).recipients().getFirst().response().code()).isEqualTo(530);
    assertThat(server.commands(1)).noneMatch(SmtpAuthTest::isAuth);
  }

  @Test
  void thePasswordNeverReachesTheLogOrAnExceptionMessage() throws Exception {
    String plainBlob = base64("\0" + USER + "\0" + PASSWORD);
    List<String> messages = new ArrayList<>();
    try (LogCapture log = new LogCapture("io.vireo.relay.delivery.smtp", Level.TRACE)) {
      connect(TlsPolicy.NONE, CREDENTIALS).send(hello());
      server.authMechanisms("LOGIN");
      connect(TlsPolicy.NONE, CREDENTIALS).send(hello());
      server.authMechanisms("PLAIN", "LOGIN");
      server.onAuth(user -> "535 5.7.8 Authentication credentials invalid");
      messages.add(failureOf(TlsPolicy.NONE, CREDENTIALS).getMessage());
      server.onAuth(user -> null);
      messages.add(failureOf(TlsPolicy.OPPORTUNISTIC, CREDENTIALS).getMessage());

      List<String> lines = log.linesWithThrowables();
      assertThat(lines).as("the client logged these attempts").isNotEmpty();
      assertThat(lines).anyMatch(line -> line.contains("rejected the credentials of " + USER));
      messages.addAll(lines);
    }
    assertThat(messages)
        .noneMatch(m -> m.contains(PASSWORD))
        .noneMatch(m -> m.contains(plainBlob))
        .noneMatch(m -> m.contains(base64(PASSWORD)));
  }

  @Test
  void credentialsHideThePasswordAndRefuseWhatCannotBeSent() {
    assertThat(CREDENTIALS.toString()).contains(USER).doesNotContain(PASSWORD);
    assertThat(new PoolKey(server.address(), MX, TlsPolicy.VERIFY, CREDENTIALS).toString())
        .doesNotContain(PASSWORD);
    assertThatThrownBy(() -> new SmtpCredentials("", PASSWORD))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SmtpCredentials(USER, "a\0b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SmtpCredentials(USER, "a\r\nQUIT"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
