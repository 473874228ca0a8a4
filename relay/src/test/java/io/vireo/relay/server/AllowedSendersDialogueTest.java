package io.vireo.relay.server;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.vireo.queue.testing.ManualClock;
import io.vireo.relay.auth.LoginThrottle;
import io.vireo.relay.auth.PasswordHashing;
import io.vireo.relay.auth.UserStore;
import io.vireo.relay.testing.SmtpTestClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-user allowed senders, as transcripts: a user whose users-file line lists senders gets {@code
 * 553 5.7.1} for any other MAIL FROM; a user without a list may use any sender. AUTH in clear
 * ({@code auth.require-tls: false}) keeps the transcripts short; the TLS side is {@link
 * AuthDialogueTest}'s.
 */
class AllowedSendersDialogueTest {
  private static final PasswordHashing.Argon2Cost CHEAP = new PasswordHashing.Argon2Cost(64, 1, 1);

  @TempDir Path dir;
  private Path usersFile;
  private String hash;
  private ServerFixture fixture;

  @BeforeEach
  void start() throws IOException {
    usersFile = dir.resolve("users");
    hash = new PasswordHashing().hash(PasswordHashing.octets("secret"), CHEAP);
    Files.writeString(
        usersFile,
        "alice:" + hash + "\n"
            + "carol:" + hash + ":carol@Example.com, notify.example.org\n");
    LoginThrottle throttle =
        new LoginThrottle(3, Duration.ofSeconds(10), 5, Duration.ofMinutes(15), new ManualClock());
    fixture =
        new ServerFixture()
            .allowNetworks("10.0.0.0/8")
            .auth(new ServerAuth(new UserStore(usersFile, 2), throttle, false))
            .start();
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  private SmtpTestClient loggedInAs(String user) throws IOException {
    SmtpTestClient c = fixture.connectAndEhlo();
    String plain = Base64.getEncoder().encodeToString(("\0" + user + "\0secret").getBytes(UTF_8));
    c.send("AUTH PLAIN " + plain).expect(235);
    return c;
  }

  @Test
  void aUserWithAListMaySendOnlyAsThoseAddressesAndDomains() throws IOException {
    try (SmtpTestClient c = loggedInAs("carol")) {
      c.send("MAIL FROM:<carol@example.com>").expect(250, "2.1.0");
      c.send("RSET").expect(250);
      c.send("MAIL FROM:<CAROL@EXAMPLE.COM>").expect(250, "2.1.0");
      c.send("RSET").expect(250);
      c.send("MAIL FROM:<anyone@notify.example.org>").expect(250, "2.1.0");
      c.send("RSET").expect(250);
      c.send("MAIL FROM:<ceo@example.com>").expect(553, "5.7.1");
      c.send("MAIL FROM:<x@sub.notify.example.org>").expect(553, "5.7.1");
      c.send("MAIL FROM:<x@notify.example.org.evil.test>").expect(553, "5.7.1");
      c.send("MAIL FROM:<>").expect(553, "5.7.1");
      // A refused MAIL starts no transaction: RCPT needs MAIL, and a good MAIL still works.
      c.send("RCPT TO:<bob@elsewhere.test>").expect(503, "5.5.1");
      c.send("MAIL FROM:<carol@example.com>").expect(250);
      c.send("RCPT TO:<bob@elsewhere.test>").expect(250);
      c.send("DATA").expect(354);
      c.sendRaw("Subject: ok\r\n\r\nfrom carol\r\n.\r\n").expect(250, "2.0.0");
    }
    fixture.spool.only();
  }

  @Test
  void aUserWithoutAListMayUseAnySender() throws IOException {
    try (SmtpTestClient c = loggedInAs("alice")) {
      c.send("MAIL FROM:<ceo@example.com>").expect(250, "2.1.0");
      c.send("RSET").expect(250);
      c.send("MAIL FROM:<>").expect(250, "2.1.0");
    }
  }

  @Test
  void aClientThatDidNotAuthenticateIsNotJudgedByAnyList() throws IOException {
    try (SmtpTestClient c = fixture.connectAndEhlo()) {
      c.send("MAIL FROM:<ceo@example.com>").expect(250, "2.1.0");
      c.send("RCPT TO:<bob@elsewhere.test>").expect(554, "5.7.1");
    }
  }

  @Test
  void aListAddedToTheFileAppliesWithoutARestart() throws IOException {
    Files.writeString(
        usersFile,
        "alice:" + hash + ":@alice.example\n" + "carol:" + hash + "\n");
    try (SmtpTestClient c = loggedInAs("alice")) {
      c.send("MAIL FROM:<ceo@example.com>").expect(553, "5.7.1");
      c.send("MAIL FROM:<alice@alice.example>").expect(250);
    }
  }
}
