package io.vireo.relay.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.config.SenderLimits;
import io.vireo.queue.testing.ManualClock;
import io.vireo.relay.auth.LoginThrottle;
import io.vireo.relay.auth.PasswordHashing;
import io.vireo.relay.auth.UserStore;
import io.vireo.relay.auth.UsersFile;
import io.vireo.relay.testing.SmtpTestClient;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The abuse limits per client address and per authenticated user, as transcripts: every refusal is
 * a 4xx reply with an X.7.x code, the session goes on (or is closed with 421), and time is a manual
 * clock moved by the test.
 */
class AbuseLimitsDialogueTest {
  private static final InetAddress FIRST = InetAddress.ofLiteral("127.0.0.1");
  private static final InetAddress SECOND = InetAddress.ofLiteral("127.0.0.2");

  @TempDir static Path dir;
  private static Path usersFile;

  private final ManualClock clock = new ManualClock();
  private ServerFixture fixture;

  @BeforeAll
  static void users() throws IOException {
    usersFile = dir.resolve("users");
    PasswordHashing hashing = new PasswordHashing();
    PasswordHashing.Argon2Cost cheap = new PasswordHashing.Argon2Cost(64, 1, 1);
    UsersFile.empty()
        .with("alice", hashing.hash(PasswordHashing.octets("secret"), cheap))
        .with("bob", hashing.hash(PasswordHashing.octets("secret"), cheap))
        .write(usersFile);
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  private void start(SenderLimits limits) throws IOException {
    LoginThrottle throttle =
        new LoginThrottle(3, Duration.ofSeconds(10), 5, Duration.ofMinutes(15), clock);
    fixture =
        new ServerFixture()
            .clock(clock)
            .senderLimits(limits)
            .auth(new ServerAuth(new UserStore(usersFile, 2), throttle, false))
            .start();
  }

  private static SenderLimits limits(
      int sessionsPerUser, int messagesPerIp, int recipientsPerIp, int messagesPerUser) {
    return new SenderLimits(
        sessionsPerUser,
        rate(messagesPerIp),
        rate(recipientsPerIp),
        rate(messagesPerUser),
        OptionalInt.empty());
  }

  private static OptionalInt rate(int perMinute) {
    return perMinute == 0 ? OptionalInt.empty() : OptionalInt.of(perMinute);
  }

  private SmtpTestClient connect(InetAddress from) throws IOException {
    SmtpTestClient c = SmtpTestClient.connect(fixture.address(), from);
    c.expect(220);
    c.send("EHLO client.test").expect(250);
    return c;
  }

  private SmtpTestClient loggedIn(InetAddress from, String user) throws IOException {
    SmtpTestClient c = connect(from);
    c.send("AUTH PLAIN " + plain(user)).expect(235);
    return c;
  }

  private static String plain(String user) {
    return Base64.getEncoder().encodeToString(("\0" + user + "\0secret").getBytes(UTF_8));
  }

  @Test
  void messagesPerMinutePerAddressAre450ThenRefillOverTheMinute() throws IOException {
    start(limits(10, 2, 0, 0));
    try (SmtpTestClient c = connect(FIRST)) {
      c.send("MAIL FROM:<a@client.test>").expect(250);
      c.send("RSET").expect(250);
      c.send("MAIL FROM:<a@client.test>").expect(250);
      c.send("RSET").expect(250);
      assertThat(c.send("MAIL FROM:<a@client.test>").expect(450, "4.7.1").text())
          .contains("Too many messages from your address");
      // Another client address has its own allowance.
      try (SmtpTestClient other = connect(SECOND)) {
        other.send("MAIL FROM:<b@client.test>").expect(250);
      }
      // Two a minute: one more after 30 seconds, and the session carried on meanwhile.
      clock.advance(Duration.ofSeconds(29));
      c.send("MAIL FROM:<a@client.test>").expect(450, "4.7.1");
      clock.advance(Duration.ofSeconds(1));
      c.send("MAIL FROM:<a@client.test>").expect(250);
      c.send("RCPT TO:<b@local.test>").expect(250);
      c.send("DATA").expect(354);
      c.sendRaw("Subject: x\r\n\r\ny\r\n.\r\n").expect(250, "2.0.0");
      c.send("MAIL FROM:<a@client.test>").expect(450, "4.7.1");
    }
    assertThat(fixture.spool.messages()).hasSize(1);
  }

  @Test
  void recipientsPerMinutePerAddressAre452AndTheTransactionKeepsTheOthers() throws IOException {
    start(limits(10, 0, 3, 0));
    try (SmtpTestClient c = connect(FIRST)) {
      c.send("MAIL FROM:<a@client.test>").expect(250);
      c.send("RCPT TO:<r1@local.test>").expect(250);
      c.send("RCPT TO:<r2@local.test>").expect(250);
      c.send("RCPT TO:<r3@local.test>").expect(250);
      assertThat(c.send("RCPT TO:<r4@local.test>").expect(452, "4.7.1").text())
          .contains("Too many recipients from your address");
      c.send("DATA").expect(354);
      c.sendRaw("Subject: x\r\n\r\ny\r\n.\r\n").expect(250, "2.0.0");
      clock.advance(Duration.ofSeconds(20));
      c.send("MAIL FROM:<a@client.test>").expect(250);
      c.send("RCPT TO:<r4@local.test>").expect(250);
      c.send("RCPT TO:<r5@local.test>").expect(452, "4.7.1");
    }
    assertThat(fixture.spool.only().envelope().recipients()).hasSize(3);
  }

  @Test
  void messagesPerMinutePerUserCountAcrossAddresses() throws IOException {
    start(limits(10, 0, 0, 1));
    try (SmtpTestClient c = loggedIn(FIRST, "alice")) {
      c.send("MAIL FROM:<alice@client.test>").expect(250);
    }
    try (SmtpTestClient c = loggedIn(SECOND, "alice")) {
      assertThat(c.send("MAIL FROM:<alice@client.test>").expect(450, "4.7.1").text())
          .contains("for this user");
    }
    try (SmtpTestClient c = loggedIn(SECOND, "bob")) {
      c.send("MAIL FROM:<bob@client.test>").expect(250);
    }
    // A client that did not log in is judged by its address alone.
    try (SmtpTestClient c = connect(SECOND)) {
      c.send("MAIL FROM:<x@client.test>").expect(250);
    }
  }

  @Test
  void sessionsPerUserBeyondTheLimitAre421AndClosed() throws IOException {
    start(limits(1, 0, 0, 0));
    try (SmtpTestClient first = loggedIn(FIRST, "alice")) {
      try (SmtpTestClient second = connect(SECOND)) {
        assertThat(second.send("AUTH PLAIN " + plain("alice")).expect(421, "4.7.0").text())
            .contains("Too many connections for this user");
        second.expectClosed();
      }
      try (SmtpTestClient bob = loggedIn(SECOND, "bob")) {
        bob.send("NOOP").expect(250);
      }
      first.send("QUIT").expect(221);
      // The session gives its place back before it closes the connection.
      first.expectClosed();
    }
    try (SmtpTestClient again = loggedIn(SECOND, "alice")) {
      again.send("NOOP").expect(250);
    }
  }
}
