package io.vireo.relay.app;

import static io.vireo.relay.testing.ByteAssertions.assertSameBytes;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.config.ConfigLoader;
import io.vireo.queue.MessageId;
import io.vireo.queue.QueuedMessage;
import io.vireo.queue.RecipientState;
import io.vireo.queue.RecipientStatus;
import io.vireo.relay.testing.Await;
import io.vireo.relay.testing.PostfixReceiver;
import io.vireo.relay.testing.ScriptedSmtpServer;
import io.vireo.relay.testing.ScriptedSmtpServer.ReceivedMessage;
import io.vireo.relay.testing.SmtpTestClient;
import io.vireo.relay.testing.TestRelays;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole relay delivering to a real Postfix: messages go in over SMTP, Vireo relays them to a
 * private Postfix ({@link PostfixReceiver}) through a {@code delivery.routes} entry, and each must
 * come out of Postfix's Maildir exactly once and byte for byte as sent (behind Postfix's fields and
 * Vireo's Received field). What Postfix refuses comes back to the sender's domain as a report.
 */
class PostfixInteropIntegrationTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String SENDER = "app@sender.test";

  @TempDir static Path work;
  private static PostfixReceiver postfix;
  private static ScriptedSmtpServer senderMx;
  private static Relay relay;

  @BeforeAll
  static void start() throws Exception {
    postfix = PostfixReceiver.start(work, "127.0.0.5", List.of("postfix.test"));
    senderMx = new ScriptedSmtpServer("127.0.0.7").hostname("mx.sender.test");
    // nobody.test goes to Postfix too, which is not its destination: "554 5.7.1 Relay access
    // denied" for its recipients.
    String delivery =
        """
        delivery:
          routes:
            - { domains: ["postfix.test", "nobody.test"], via: "127.0.0.5:%d", tls: none }
            - { domains: ["sender.test"], via: "127.0.0.7:%d", tls: none }
          retry:
            schedule: [300ms, 600ms]
            max-age: 1m
        """
            .formatted(postfix.address().getPort(), senderMx.port());
    relay =
        Relay.start(
            ConfigLoader.parse(
                TestRelays.yaml(work.resolve("spool"), delivery, ""), "postfix-interop.yaml"));
  }

  @AfterAll
  static void stop() throws IOException {
    if (relay != null) {
      relay.close();
    }
    if (senderMx != null) {
      senderMx.close();
    }
    if (postfix != null) {
      postfix.close();
    }
  }

  @Test
  void plainMessageArrivesIntact() throws Exception {
    String sent = message("plain@postfix.test", "plain", "", "Hello Postfix, from Vireo.\r\n");

    String id = send("plain@postfix.test", "", sent);

    assertArrivedOnceIntact(id, "plain@postfix.test", sent);
  }

  @Test
  void linesStartingWithDotsArriveUnchanged() throws Exception {
    // RFC 5321 section 4.5.2: each hop doubles a leading dot and the next removes it again; a
    // line holding only a dot must not end the message early anywhere on the way.
    String sent =
        message(
            "dots@postfix.test",
            "dots",
            "",
            ".\r\n..\r\n.leading dot\r\n...three\r\n. \r\n.\r\nlast line\r\n");

    String id = send("dots@postfix.test", "", sent);

    assertArrivedOnceIntact(id, "dots@postfix.test", sent);
  }

  @Test
  void eightBitUtf8BodyArrivesUnchanged() throws Exception {
    String sent =
        message(
            "utf8@postfix.test",
            "8bit",
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n",
            "Grüße aus Zürich — ünïcödé ✓ 日本語 🚀\r\nÿ\r\n");

    // Postfix offers 8BITMIME, so Vireo must relay the body as it is, not downgrade it.
    String id = send("utf8@postfix.test", "BODY=8BITMIME", sent);

    assertArrivedOnceIntact(id, "utf8@postfix.test", sent);
  }

  @Test
  void oneMegabyteMessageArrivesIntact() throws Exception {
    StringBuilder body = new StringBuilder(1 << 20);
    for (int line = 0; body.length() < 1 << 20; line++) {
      body.append("%07d ".formatted(line))
          .append("The quick brown fox jumps over the lazy dog; 0123456789 ~!@#$%^&*()\r\n");
    }
    String sent = message("big@postfix.test", "one megabyte", "", body.toString());

    String id = send("big@postfix.test", "", sent);

    assertThat(sent.length()).isGreaterThan(1 << 20);
    assertArrivedOnceIntact(id, "big@postfix.test", sent);
  }

  @Test
  void thirtyMessagesOverThreeClientConnectionsEachArriveOnce() throws Exception {
    int connections = 3;
    int perConnection = 10;
    Map<String, String> sentByMailbox = new ConcurrentHashMap<>();
    Map<String, String> idByMailbox = new ConcurrentHashMap<>();
    List<Thread> clients = new ArrayList<>();
    List<Throwable> failures = new ArrayList<>();
    for (int c = 0; c < connections; c++) {
      int connection = c;
      clients.add(
          Thread.ofVirtual()
              .name("client-" + c)
              .start(
                  () -> {
                    try (SmtpTestClient client =
                        SmtpTestClient.greeted("127.0.0.1", TestRelays.smtpPort(relay))) {
                      client.ehlo("client" + connection + ".sender.test");
                      for (int i = 0; i < perConnection; i++) {
                        String mailbox = "bulk-%d-%d@postfix.test".formatted(connection, i);
                        String sent =
                            message(mailbox, "bulk " + connection + "/" + i, "", "No. " + i);
                        sentByMailbox.put(mailbox, sent);
                        idByMailbox.put(mailbox, client.sendMessage(SENDER, List.of(mailbox), sent));
                      }
                    } catch (IOException | RuntimeException e) {
                      synchronized (failures) {
                        failures.add(e);
                      }
                    }
                  }));
    }
    for (Thread client : clients) {
      assertThat(client.join(WAIT)).as("client finished").isTrue();
    }
    assertThat(failures).isEmpty();
    assertThat(idByMailbox).hasSize(connections * perConnection);

    for (Map.Entry<String, String> entry : idByMailbox.entrySet()) {
      awaitStates(entry.getValue(), RecipientState.DELIVERED);
    }
    postfix.awaitQueueEmpty(WAIT);
    for (Map.Entry<String, String> entry : sentByMailbox.entrySet()) {
      List<byte[]> delivered = postfix.messages(entry.getKey());
      assertThat(delivered).as("messages for " + entry.getKey()).hasSize(1);
      assertSameBytes(asSent(delivered.getFirst()), entry.getValue().getBytes(UTF_8));
    }
  }

  @Test
  void recipientPostfixRefusesIsBouncedToTheSenderWhileTheOtherIsDelivered() throws Exception {
    String sent =
        message("known@postfix.test", "half refused", "", "One of two recipients is refused.\r\n");

    String id;
    try (SmtpTestClient client = SmtpTestClient.greeted("127.0.0.1", TestRelays.smtpPort(relay))) {
      client.ehlo("app.sender.test");
      id = client.sendMessage(SENDER, List.of("known@postfix.test", "nobody@nobody.test"), sent);
    }

    ReceivedMessage bounce = senderMx.awaitMessages(1, WAIT).getFirst();
    assertThat(bounce.mailFrom()).isEmpty();
    assertThat(bounce.recipients()).containsExactly(SENDER);
    DeliveryReport report = DeliveryReport.parse(bounce.data());
    DeliveryReport.RecipientFields refused = report.onlyRecipient();
    assertThat(refused.finalRecipient()).isEqualTo("nobody@nobody.test");
    assertThat(refused.action()).isEqualTo("failed");
    assertThat(refused.status()).isEqualTo("5.7.1");
    assertThat(refused.diagnosticCode()).startsWith("smtp;").contains("554", "Relay access denied");
    assertThat(refused.field("Remote-MTA")).contains("127.0.0.5");
    awaitStates(id, RecipientState.DELIVERED, RecipientState.BOUNCED);
    assertArrivedOnceIntact(id, "known@postfix.test", sent);
    assertThat(postfix.messages("nobody@nobody.test")).isEmpty();
    assertThat(senderMx.messages()).hasSize(1);
  }

  private static String send(String recipient, String mailParameters, String content)
      throws IOException {
    try (SmtpTestClient client = SmtpTestClient.greeted("127.0.0.1", TestRelays.smtpPort(relay))) {
      client.ehlo("app.sender.test");
      return client.sendMessage(SENDER, mailParameters, List.of(recipient), content);
    }
  }

  /**
   * Waits until Vireo recorded the delivery and Postfix has nothing left queued, then checks the
   * mailbox holds exactly one message and that it is the one sent.
   */
  private static void assertArrivedOnceIntact(String id, String mailbox, String sent) {
    Await.until(
        "Vireo records the delivery to " + mailbox,
        WAIT,
        () -> state(id, mailbox) == RecipientState.DELIVERED);
    postfix.awaitMessages(mailbox, 1, WAIT);
    postfix.awaitQueueEmpty(WAIT);
    List<byte[]> delivered = postfix.messages(mailbox);
    assertThat(delivered).as("messages for " + mailbox).hasSize(1);
    assertSameBytes(asSent(delivered.getFirst()), sent.getBytes(UTF_8));
  }

  /** Without Postfix's fields and then without the Received field Vireo put on top. */
  private static byte[] asSent(byte[] delivered) {
    byte[] relayed = PostfixReceiver.contentAsSent(delivered);
    assertThat(new String(relayed, 0, Math.min(relayed.length, 300), UTF_8))
        .startsWith("Received: from ")
        .contains("by relay.test (Vireo)");
    return PostfixReceiver.withoutLeadingField(relayed, "Received:");
  }

  private static RecipientState state(String id, String address) {
    return relay.spool().find(new MessageId(id)).orElseThrow().recipients().stream()
        .filter(r -> r.recipient().address().equals(address))
        .findFirst()
        .orElseThrow()
        .state();
  }

  private static void awaitStates(String id, RecipientState... states) {
    Await.until(
        "the spool records " + id + " as " + List.of(states),
        WAIT,
        () ->
            relay
                .spool()
                .find(new MessageId(id))
                .map(QueuedMessage::recipients)
                .map(r -> r.stream().map(RecipientStatus::state).toList())
                .orElseThrow()
                .equals(List.of(states)));
  }

  private static String message(String to, String subject, String extraHeaders, String body) {
    return "From: App <"
        + SENDER
        + ">\r\nTo: <"
        + to
        + ">\r\nSubject: "
        + subject
        + "\r\nDate: Thu, 26 Nov 2026 20:00:00 +0000\r\nMessage-ID: <"
        + Integer.toUnsignedString((to + subject).hashCode())
        + "@sender.test>\r\n"
        + extraHeaders
        + "\r\n"
        + body
        + (body.endsWith("\r\n") ? "" : "\r\n");
  }
}
