package io.vireo.relay.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.config.ConfigLoader;
import io.vireo.mailbox.store.MailStore;
import io.vireo.queue.MessageId;
import io.vireo.queue.RecipientState;
import io.vireo.queue.RecipientStatus;
import io.vireo.relay.auth.PasswordHashing;
import io.vireo.relay.auth.UsersFile;
import io.vireo.relay.testing.Await;
import io.vireo.relay.testing.ScriptedSmtpServer;
import io.vireo.relay.testing.SmtpTestClient;
import io.vireo.relay.testing.TestRelays;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole relay with {@code local.domains}: mail in over SMTP lands in the users' Maildirs through
 * the local transport, with the same queue, outcomes and bounces as SMTP delivery.
 */
class LocalDeliveryIntegrationTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  private Path mailboxes;
  private Path usersFile;

  @BeforeEach
  void users() throws Exception {
    mailboxes = dir.resolve("mailboxes");
    usersFile = dir.resolve("users");
    PasswordHashing hashing = new PasswordHashing();
    PasswordHashing.Argon2Cost cheap = new PasswordHashing.Argon2Cost(64, 1, 1);
    UsersFile.empty()
        .with("alice", hashing.hash(PasswordHashing.octets("a"), cheap))
        .with("bob", hashing.hash(PasswordHashing.octets("b"), cheap))
        .with("dave@example.org", hashing.hash(PasswordHashing.octets("d"), cheap))
        .write(usersFile);
  }

  private Relay start(String local, String delivery) throws Exception {
    String extra =
        """
        auth:
          users-file: "%s"
        mailbox:
          dir: "%s"
        """
                .formatted(usersFile, mailboxes)
            + local;
    return Relay.start(
        ConfigLoader.parse(TestRelays.yaml(dir.resolve("spool"), delivery, extra), "test.yaml"));
  }

  @Test
  void usersAliasesAndCatchAllGetTheirCopyWithTheEnvelopeOnTopAndUnknownUsersGet550()
      throws Exception {
    String local =
        """
        local:
          domains: [example.com, example.org]
          aliases: { "sales@example.com": [alice, bob] }
          catch-all: { example.org: carol }
        """;
    try (Relay relay = start(local, TestRelays.PARKED_DELIVERY)) {
      String id;
      try (SmtpTestClient client =
          SmtpTestClient.greeted("127.0.0.1", TestRelays.smtpPort(relay))) {
        client.ehlo("app.test");
        client.command("MAIL FROM:<app@sender.test>", 250);
        assertThat(client.command("RCPT TO:<nobody@example.com>", 550).raw()).startsWith("550 5.1.1");
        client.command("RSET", 250);
        id =
            client.sendMessage(
                "app@sender.test",
                List.of(
                    "alice@example.com",
                    "Sales@Example.COM",
                    "Bob@example.com",
                    "dave@example.org",
                    "whoever@example.org"),
                "Subject: local\r\n\r\nhello\r\n");
      }
      Await.until(
          "every recipient delivered",
          WAIT,
          () ->
              relay.spool().find(new MessageId(id)).orElseThrow().recipients().stream()
                  .allMatch(r -> r.state() == RecipientState.DELIVERED));

      List<String> alice = Maildirs.messages(mailboxes, "alice");
      assertThat(alice).hasSize(2);
      assertThat(alice)
          .anySatisfy(
              m ->
                  assertThat(m)
                      .startsWith(
                          "Return-Path: <app@sender.test>\r\nX-Original-To: alice@example.com\r\n"
                              + "Received: "))
          .anySatisfy(
              m -> assertThat(m).contains("X-Original-To: Sales@Example.COM\r\n"))
          .allSatisfy(m -> assertThat(m).endsWith("\r\nSubject: local\r\n\r\nhello\r\n"));
      assertThat(Maildirs.messages(mailboxes, "bob"))
          .hasSize(2)
          .anySatisfy(m -> assertThat(m).contains("X-Original-To: Bob@example.com\r\n"));
      assertThat(Maildirs.messages(mailboxes, "dave@example.org"))
          .singleElement()
          .satisfies(m -> assertThat(m).contains("X-Original-To: dave@example.org\r\n"));
      assertThat(Maildirs.messages(mailboxes, "carol"))
          .singleElement()
          .satisfies(m -> assertThat(m).contains("X-Original-To: whoever@example.org\r\n"));
      assertThat(Maildirs.files(Maildirs.of(mailboxes, "alice"), "tmp")).isEmpty();
      assertThat(relay.spool().find(new MessageId(id)).orElseThrow().recipients())
          .extracting(RecipientStatus::lastReply)
          .allSatisfy(reply -> assertThat(reply).startsWith("250 2.0.0 delivered to mailbox"));
    }
  }

  @Test
  void fullMailboxGets452AtRcptAndMailThatDoesNotFitIsDeferredThenBounced() throws Exception {
    // alice is at her quota before the relay starts; bob has room for a small message only.
    MailStore store = new MailStore(mailboxes, Clock.systemUTC(), "test");
    store.deliver("alice", "INBOX", new byte[2048], Set.of(), Instant.now());
    try (ScriptedSmtpServer senderMx = new ScriptedSmtpServer("127.0.0.9")) {
      String local =
          """
          local:
            domains: [example.com]
            quota: 2KB
          """;
      String delivery =
          """
          delivery:
            routes:
              - { domains: ["sender.test"], via: "127.0.0.9:%d", tls: none }
            retry:
              schedule: [300ms]
              max-age: 3s
          """
              .formatted(senderMx.port());
      try (Relay relay = start(local, delivery)) {
        String id;
        try (SmtpTestClient client =
            SmtpTestClient.greeted("127.0.0.1", TestRelays.smtpPort(relay))) {
          client.ehlo("app.test");
          client.command("MAIL FROM:<app@sender.test>", 250);
          assertThat(client.command("RCPT TO:<alice@example.com>", 452).raw()).startsWith("452 4.2.2");
          client.command("RSET", 250);
          id =
              client.sendMessage(
                  "app@sender.test",
                  List.of("bob@example.com"),
                  "Subject: big\r\n\r\n" + ("x".repeat(70) + "\r\n").repeat(45));
        }
        Await.until(
            "a deferral for the full mailbox",
            WAIT,
            () -> {
              RecipientStatus bob =
                  relay.spool().find(new MessageId(id)).orElseThrow().recipients().getFirst();
              return bob.lastReply() != null && bob.lastReply().startsWith("452 4.2.2");
            });
        ScriptedSmtpServer.ReceivedMessage bounce = senderMx.awaitMessages(1, WAIT).getFirst();
        assertThat(bounce.mailFrom()).isEmpty();
        DeliveryReport report = DeliveryReport.parse(bounce.data());
        assertThat(report.onlyRecipient().finalRecipient()).isEqualTo("bob@example.com");
        assertThat(report.onlyRecipient().action()).isEqualTo("failed");
        assertThat(report.onlyRecipient().status()).isEqualTo("4.4.7");
        assertThat(report.onlyRecipient().diagnosticCode()).contains("452 4.2.2");
        assertThat(Maildirs.messages(mailboxes, "bob")).isEmpty();
        assertThat(relay.delivery().stats().expired()).isEqualTo(1);
      }
    }
  }

  @Test
  void successReportSaysDeliveredForALocalMailbox() throws Exception {
    try (ScriptedSmtpServer senderMx = new ScriptedSmtpServer("127.0.0.9")) {
      String delivery =
          """
          delivery:
            routes:
              - { domains: ["sender.test"], via: "127.0.0.9:%d", tls: none }
          """
              .formatted(senderMx.port());
      try (Relay relay = start("local: { domains: [example.com] }\n", delivery)) {
        try (SmtpTestClient client =
            SmtpTestClient.greeted("127.0.0.1", TestRelays.smtpPort(relay))) {
          client.ehlo("app.test");
          client.command("MAIL FROM:<app@sender.test>", 250);
          client.command("RCPT TO:<alice@example.com> NOTIFY=SUCCESS", 250);
          client.command("DATA", 354);
          client.sendContent("Subject: notify\r\n\r\nhi\r\n");
        }
        DeliveryReport report =
            DeliveryReport.parse(senderMx.awaitMessages(1, WAIT).getFirst().data());
        assertThat(report.onlyRecipient().action()).isEqualTo("delivered");
        assertThat(report.onlyRecipient().status()).isEqualTo("2.0.0");
        assertThat(report.onlyRecipient().field("Remote-MTA")).isEmpty();
        assertThat(Maildirs.messages(mailboxes, "alice")).hasSize(1);
      }
    }
  }

  @Test
  void aReloadedLocalSectionHoldsForTheNextRecipients() throws Exception {
    try (Relay relay = start("local: { domains: [example.com] }\n", TestRelays.PARKED_DELIVERY)) {
      try (SmtpTestClient client =
          SmtpTestClient.greeted("127.0.0.1", TestRelays.smtpPort(relay))) {
        client.ehlo("app.test");
        client.command("MAIL FROM:<app@sender.test>", 250);
        assertThat(client.command("RCPT TO:<team@example.com>", 550).raw()).startsWith("550 5.1.1");
      }
      String local =
          """
          local:
            domains: [example.com]
            aliases: { "team@example.com": [alice, bob] }
          """;
      String yaml =
          TestRelays.yaml(
              dir.resolve("spool"),
              TestRelays.PARKED_DELIVERY,
              """
              auth:
                users-file: "%s"
              mailbox:
                dir: "%s"
              """
                      .formatted(usersFile, mailboxes)
                  + local);
      assertThat(relay.reload(ConfigLoader.parse(yaml, "reloaded.yaml")))
          .isInstanceOf(io.vireo.relay.admin.ReloadResult.Applied.class);
      try (SmtpTestClient client =
          SmtpTestClient.greeted("127.0.0.1", TestRelays.smtpPort(relay))) {
        client.ehlo("app.test");
        client.sendMessage("app@sender.test", List.of("team@example.com"), "Subject: team\r\n\r\nhi\r\n");
      }
      Await.until(
          "both team members have the message",
          WAIT,
          () ->
              Maildirs.messages(mailboxes, "alice").size() == 1
                  && Maildirs.messages(mailboxes, "bob").size() == 1);
    }
  }
}
