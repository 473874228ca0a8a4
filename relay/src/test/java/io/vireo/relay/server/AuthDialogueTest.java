package io.vireo.relay.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.queue.testing.ManualClock;
import io.vireo.relay.auth.LoginThrottle;
import io.vireo.relay.auth.PasswordHashing;
import io.vireo.relay.auth.UserStore;
import io.vireo.relay.auth.UsersFile;
import io.vireo.relay.testing.PemCertificate;
import io.vireo.relay.testing.PemCertificate.KeyFormat;
import io.vireo.relay.testing.PemCertificate.KeyType;
import io.vireo.relay.testing.SmtpTestClient;
import io.vireo.relay.tls.TlsServerContext;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SMTP AUTH (RFC 4954) on a real server, as transcripts. The server relays for no network, so
 * only an authenticated client may send to a domain other than local.test; failed attempts are
 * throttled after 3 and locked out after 5, on a clock the tests move by hand.
 */
class AuthDialogueTest {
  private static final String PLAIN_ALICE = b64("\0alice\0wonderland");
  private static final String MESSAGE = "Subject: auth\r\n\r\nHello.\r\n";

  @TempDir static Path dir;
  private static PemCertificate certificate;
  private static SSLContext client;
  private static Path usersFile;

  private final ManualClock clock = new ManualClock();
  private ServerFixture fixture;

  @BeforeAll
  static void setUp() throws Exception {
    certificate = PemCertificate.generate(dir, "mx.test", KeyType.EC, KeyFormat.TRADITIONAL);
    client = certificate.trustingClientContext();
    usersFile = dir.resolve("users");
    PasswordHashing hashing = new PasswordHashing();
    PasswordHashing.Argon2Cost cheap = new PasswordHashing.Argon2Cost(64, 1, 1);
    UsersFile.empty()
        .with("alice", hashing.hash(PasswordHashing.octets("wonderland"), cheap))
        .with("bob", hashing.hash(PasswordHashing.octets("builder"), cheap))
        .write(usersFile);
  }

  private void start(boolean requireTls) throws IOException {
    LoginThrottle throttle =
        new LoginThrottle(3, Duration.ofSeconds(10), 5, Duration.ofMinutes(15), clock);
    fixture =
        new ServerFixture()
            .allowNetworks("10.0.0.0/8")
            .tls(TlsServerContext.load(certificate.certFile(), certificate.keyFile()))
            .auth(new ServerAuth(new UserStore(usersFile, 2), throttle, requireTls))
            .start();
  }

  @AfterEach
  void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(UTF_8));
  }

  private SmtpTestClient overTls() throws IOException {
    return overTls(null);
  }

  /** Connects (from {@code from}, if given), EHLO, STARTTLS, EHLO again. */
  private SmtpTestClient overTls(InetAddress from) throws IOException {
    SmtpTestClient c = SmtpTestClient.connect(fixture.address(), from);
    c.expect(220);
    c.send("EHLO client.test").expect(250);
    c.send("STARTTLS").expect(220);
    c.startTls(client);
    c.send("EHLO client.test").expect(250);
    return c;
  }

  @Nested
  class Dialogues {
    @Test
    void authIsNeitherOfferedNorAcceptedBeforeTls() throws IOException {
      start(true);
      try (SmtpTestClient c = fixture.connect()) {
        assertThat(c.send("EHLO client.test").expect(250).lines())
            .contains("STARTTLS")
            .doesNotContain("AUTH PLAIN LOGIN");
        assertThat(c.send("AUTH PLAIN " + PLAIN_ALICE).expect(538, "5.7.11").text())
            .contains("Encryption required");
        c.send("STARTTLS").expect(220);
        c.startTls(client);
        assertThat(c.send("EHLO client.test").expect(250).lines()).contains("AUTH PLAIN LOGIN");
      }
    }

    @Test
    void relayIsRefusedWithoutAuthAndAllowedWithIt() throws IOException {
      start(true);
      try (SmtpTestClient c = overTls()) {
        c.send("MAIL FROM:<alice@client.test>").expect(250);
        c.send("RCPT TO:<bob@elsewhere.test>").expect(554, "5.7.1");
        c.send("RCPT TO:<bob@local.test>").expect(250); // relay.domains need no AUTH
        c.send("RSET").expect(250);
        assertThat(c.send("AUTH PLAIN " + PLAIN_ALICE).expect(235, "2.7.0").text())
            .isEqualTo("2.7.0 Authentication successful");
        c.send("MAIL FROM:<alice@client.test> AUTH=alice@client.test").expect(250);
        c.send("RCPT TO:<bob@elsewhere.test>").expect(250, "2.1.5");
        c.send("DATA").expect(354);
        c.sendRaw(MESSAGE + ".\r\n").expect(250, "2.0.0");
      }
      String stored = new String(fixture.spool.only().content().toByteArray(), UTF_8);
      assertThat(stored).contains(" with ESMTPSA id ").doesNotContain("alice");
    }

    @Test
    void senderSpecifiedRoutingToOurDomainIsRefusedUntilTheClientAuthenticates() throws IOException {
      start(true);
      try (SmtpTestClient c = overTls()) {
        c.send("MAIL FROM:<a@client.test>").expect(250);
        c.send("RCPT TO:<user%other.example@local.test>").expect(550, "5.7.1");
        c.send("RCPT TO:<\"user@other.example\"@local.test>").expect(550, "5.7.1");
        c.send("RCPT TO:<other.example!user@local.test>").expect(550, "5.7.1");
        c.send("RCPT TO:<@relay.example:user%other.example@local.test>").expect(550, "5.7.1");
        c.send("RCPT TO:<user@local.test>").expect(250);
        c.send("RSET").expect(250);
        c.send("AUTH PLAIN " + PLAIN_ALICE).expect(235);
        c.send("MAIL FROM:<a@client.test>").expect(250);
        c.send("RCPT TO:<user%other.example@local.test>").expect(250);
      }
    }

    @Test
    void plainWithAnEmptyChallengeAndLoginStepByStep() throws IOException {
      start(true);
      try (SmtpTestClient c = overTls()) {
        assertThat(c.send("AUTH PLAIN").expect(334).text()).isEmpty();
        c.send(PLAIN_ALICE).expect(235, "2.7.0");
      }
      try (SmtpTestClient c = overTls()) {
        assertThat(c.send("AUTH LOGIN").expect(334).text()).isEqualTo("VXNlcm5hbWU6");
        assertThat(c.send(b64("bob")).expect(334).text()).isEqualTo("UGFzc3dvcmQ6");
        c.send(b64("builder")).expect(235, "2.7.0");
        c.send("MAIL FROM:<> AUTH=<>").expect(250);
        c.send("RCPT TO:<x@elsewhere.test>").expect(250);
      }
    }

    @Test
    void wrongPasswordsAndUnknownUsersGetTheSame535() throws IOException {
      start(true);
      try (SmtpTestClient c = overTls()) {
        c.send("AUTH PLAIN " + b64("\0alice\0Wonderland")).expect(535, "5.7.8");
        c.send("AUTH PLAIN " + b64("\0mallory\0wonderland")).expect(535, "5.7.8");
        c.send("AUTH LOGIN " + b64("alice")).expect(334);
        c.send(b64("wrong")).expect(535, "5.7.8");
        c.send("MAIL FROM:<a@client.test>").expect(250);
        c.send("RCPT TO:<x@elsewhere.test>").expect(554, "5.7.1");
      }
    }

    @Test
    void malformedCancelledOutOfSequenceAndUnknownMechanisms() throws IOException {
      start(true);
      try (SmtpTestClient c = overTls()) {
        c.send("AUTH CRAM-MD5").expect(504, "5.5.4");
        c.send("AUTH PLAIN not*base64").expect(501, "5.5.4"); // the parser's usage reply
        c.send("AUTH PLAIN").expect(334);
        c.send("%%%").expect(501, "5.5.2");
        c.send("AUTH LOGIN").expect(334);
        c.send("*").expect(501, "5.0.0");
        c.send("AUTH PLAIN " + b64("alice wonderland")).expect(501, "5.5.2");
        c.send("MAIL FROM:<a@client.test>").expect(250);
        assertThat(c.send("AUTH PLAIN " + PLAIN_ALICE).expect(503, "5.5.1").text())
            .contains("transaction");
        c.send("RSET").expect(250);
        c.send("AUTH PLAIN " + PLAIN_ALICE).expect(235);
        assertThat(c.send("AUTH PLAIN " + PLAIN_ALICE).expect(503, "5.5.1").text())
            .contains("already authenticated");
        c.send("MAIL FROM:<a@client.test> AUTH=bad\u00fcvalue").expect(501);
      }
    }

    @Test
    void authNeedsEhloFirstAndStartTlsForgetsAnEarlierLogin() throws IOException {
      start(false);
      try (SmtpTestClient c = fixture.connect()) {
        c.send("AUTH PLAIN " + PLAIN_ALICE).expect(503, "5.5.1");
        c.send("HELO client.test").expect(250);
        c.send("AUTH PLAIN " + PLAIN_ALICE).expect(503, "5.5.1");
        c.send("EHLO client.test").expect(250);
        c.send("AUTH PLAIN " + PLAIN_ALICE).expect(235);
        c.send("STARTTLS").expect(220);
        c.startTls(client);
        c.send("EHLO client.test").expect(250);
        c.send("MAIL FROM:<a@client.test>").expect(250);
        c.send("RCPT TO:<x@elsewhere.test>").expect(554, "5.7.1");
      }
    }

    @Test
    void failuresFromOneAddressAreThrottledThenLockedOut() throws IOException {
      start(true);
      try (SmtpTestClient c = overTls()) {
        for (int i = 0; i < 3; i++) {
          c.send("AUTH PLAIN " + b64("\0user" + i + "\0guess")).expect(535, "5.7.8");
        }
        // Even the right password waits now: the address is throttled before any check.
        c.send("AUTH PLAIN " + PLAIN_ALICE).expect(454, "4.7.0");
        clock.advance(Duration.ofSeconds(10));
        c.send("AUTH PLAIN " + b64("\0user3\0guess")).expect(535, "5.7.8");
        c.send("AUTH PLAIN " + b64("\0user4\0guess")).expect(454, "4.7.0");
        clock.advance(Duration.ofSeconds(10));
        c.send("AUTH PLAIN " + b64("\0user4\0guess")).expect(535, "5.7.8");
        // Five failures: locked out, and the connection is closed.
        c.send("AUTH PLAIN " + PLAIN_ALICE).expect(421, "4.7.0");
        c.expectClosed();
      }
      try (SmtpTestClient c = overTls()) {
        c.send("AUTH PLAIN " + PLAIN_ALICE).expect(421, "4.7.0");
      }
      clock.advance(Duration.ofMinutes(15));
      try (SmtpTestClient c = overTls()) {
        c.send("AUTH PLAIN " + PLAIN_ALICE).expect(235, "2.7.0");
      }
    }

    @Test
    void failuresForOneUserCountAcrossClientAddresses() throws IOException {
      start(true);
      for (int i = 1; i <= 3; i++) {
        try (SmtpTestClient c = overTls(InetAddress.ofLiteral("127.0.0." + (10 + i)))) {
          c.send("AUTH PLAIN " + b64("\0bob\0guess" + i)).expect(535, "5.7.8");
        }
      }
      try (SmtpTestClient c = overTls(InetAddress.ofLiteral("127.0.0.20"))) {
        c.send("AUTH PLAIN " + b64("\0bob\0builder")).expect(454, "4.7.0");
        c.send("AUTH PLAIN " + PLAIN_ALICE).expect(235, "2.7.0");
      }
    }
  }

  @Test
  void shutdownEndsASessionWaitingAtAnAuthChallenge() throws Exception {
    start(true);
    try (SmtpTestClient c = overTls()) {
      c.send("AUTH LOGIN").expect(334);
      java.util.concurrent.CompletableFuture<Void> closing =
          java.util.concurrent.CompletableFuture.runAsync(
              () -> fixture.server().close(Duration.ofSeconds(30)));
      c.expect(421, "4.3.2");
      closing.get(10, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  @Test
  void withRequireTlsOffAuthWorksInClear() throws IOException {
    start(false);
    try (SmtpTestClient c = fixture.connect()) {
      assertThat(c.send("EHLO client.test").expect(250).lines())
          .contains("STARTTLS", "AUTH PLAIN LOGIN");
      c.send("AUTH PLAIN " + PLAIN_ALICE).expect(235);
      c.send("MAIL FROM:<a@client.test>").expect(250);
      c.send("RCPT TO:<x@elsewhere.test>").expect(250);
      c.send("DATA").expect(354);
      c.sendRaw(MESSAGE + ".\r\n").expect(250);
    }
    String stored = new String(fixture.spool.only().content().toByteArray(), UTF_8);
    assertThat(stored).contains(" with ESMTPA id ");
  }
}
