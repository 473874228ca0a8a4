package io.vireo.relay.testing;

import static io.vireo.relay.testing.ByteAssertions.assertSameBytes;
import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.queue.BodyType;
import io.vireo.queue.MessageContent;
import io.vireo.queue.Recipient;
import io.vireo.queue.Ret;
import io.vireo.relay.delivery.smtp.ClientTimeouts;
import io.vireo.relay.delivery.smtp.OutboundMessage;
import io.vireo.relay.delivery.smtp.RecipientResult;
import io.vireo.relay.delivery.smtp.RecipientResult.Outcome;
import io.vireo.relay.delivery.smtp.SmtpClientConnection;
import io.vireo.relay.delivery.smtp.SmtpClientException;
import io.vireo.relay.delivery.smtp.TlsPolicy;
import io.vireo.relay.delivery.smtp.TransactionResult;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Vireo's SMTP client delivering to a real Postfix: every message must come out of Postfix's
 * Maildir byte for byte as it was sent.
 */
class PostfixReceiverTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final ClientTimeouts TIMEOUTS = ClientTimeouts.uniform(Duration.ofSeconds(30));
  private static final String SENDER = "sender@vireo.test";

  @TempDir static Path work;
  private static PostfixReceiver postfix;

  @BeforeAll
  static void startPostfix() throws IOException {
    postfix = PostfixReceiver.start(work, "127.0.0.5", List.of("postfix.test"));
  }

  @AfterAll
  static void stopPostfix() {
    if (postfix != null) {
      postfix.close();
    }
  }

  @Test
  void plainMessageArrivesIntact() throws SmtpClientException {
    byte[] sent = message("plain@postfix.test", "plain", "Hello Postfix.\r\n");

    TransactionResult result =
        send(OutboundMessage.simple(SENDER, List.of("plain@postfix.test"), sent));

    assertDelivered(result);
    byte[] delivered = awaitOne("plain@postfix.test");
    assertThat(new String(delivered, UTF_8))
        .startsWith("Return-Path: <" + SENDER + ">\r\n")
        .contains("\r\nDelivered-To: plain@postfix.test\r\n");
    assertSameBytes(PostfixReceiver.contentAsSent(delivered), sent);
  }

  @Test
  void linesStartingWithDotsArriveUnstuffed() throws SmtpClientException {
    // RFC 5321 section 4.5.2: the client doubles a leading dot and the server removes it again;
    // a lone "." line must not end the message early. The message carries an earlier hop's
    // folded Received field first, which contentAsSent must keep.
    byte[] sent =
        ("Received: from earlier.hop.test (earlier.hop.test [127.0.0.9])\r\n"
                + "\tby relay.vireo.test; Thu, 26 Nov 2026 20:00:00 +0000\r\n"
                + new String(
                    message(
                        "dots@postfix.test",
                        "dots",
                        ".\r\n..\r\n.leading dot\r\n...three\r\n. \r\nlast line\r\n"),
                    UTF_8))
            .getBytes(UTF_8);

    TransactionResult result =
        send(OutboundMessage.simple(SENDER, List.of("dots@postfix.test"), sent));

    assertDelivered(result);
    assertSameBytes(PostfixReceiver.contentAsSent(awaitOne("dots@postfix.test")), sent);
  }

  @Test
  void eightBitUtf8BodyArrivesUnchanged() throws SmtpClientException {
    byte[] sent =
        message(
            "utf8@postfix.test",
            "8bit",
            "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n",
            "Grüße aus Zürich — ünïcödé ✓ 日本語 🚀\r\nÿ\r\n");
    OutboundMessage message =
        new OutboundMessage(
            SENDER,
            List.of(Recipient.of("utf8@postfix.test")),
            MessageContent.of(sent),
            BodyType.EIGHT_BIT_MIME,
            false,
            Ret.UNSPECIFIED,
            null);

    TransactionResult result;
    try (SmtpClientConnection connection = open()) {
      assertThat(connection.capabilities().eightBitMime()).isTrue();
      result = connection.send(message);
    }

    assertDelivered(result);
    assertSameBytes(PostfixReceiver.contentAsSent(awaitOne("utf8@postfix.test")), sent);
  }

  @Test
  void smtpUtf8RecipientGetsItsMessage() throws SmtpClientException {
    String recipient = "josé@postfix.test";
    byte[] sent = message(recipient, "smtputf8 ✓", "Bonjour José.\r\n");
    OutboundMessage message =
        new OutboundMessage(
            SENDER,
            List.of(Recipient.of(recipient)),
            MessageContent.of(sent),
            BodyType.EIGHT_BIT_MIME,
            true,
            Ret.UNSPECIFIED,
            null);

    TransactionResult result = send(message);

    assertDelivered(result);
    assertSameBytes(PostfixReceiver.contentAsSent(awaitOne(recipient)), sent);
  }

  @Test
  void oneMegabyteMessageArrivesIntact() throws SmtpClientException {
    StringBuilder body = new StringBuilder(1 << 20);
    for (int line = 0; body.length() < 1 << 20; line++) {
      body.append("%07d ".formatted(line))
          .append("The quick brown fox jumps over the lazy dog; 0123456789 ~!@#$%^&*()\r\n");
    }
    byte[] sent = message("big@postfix.test", "one megabyte", body.toString());

    TransactionResult result =
        send(OutboundMessage.simple(SENDER, List.of("big@postfix.test"), sent));

    assertDelivered(result);
    assertThat(sent.length).isGreaterThan(1 << 20);
    assertSameBytes(PostfixReceiver.contentAsSent(awaitOne("big@postfix.test")), sent);
  }

  @Test
  void twentyMessagesOverOneConnectionAllArrive() throws SmtpClientException {
    List<String> sent = new ArrayList<>();
    try (SmtpClientConnection connection = open()) {
      for (int i = 1; i <= 20; i++) {
        byte[] content = message("burst@postfix.test", "burst " + i, "Message " + i + ".\r\n");
        sent.add(new String(content, ISO_8859_1));
        TransactionResult result =
            connection.send(OutboundMessage.simple(SENDER, List.of("burst@postfix.test"), content));
        assertDelivered(result);
      }
      assertThat(connection.transactions()).isEqualTo(20);
    }

    // Postfix delivers in parallel, so the Maildir order need not be the sending order.
    List<String> delivered =
        postfix.awaitMessages("burst@postfix.test", 20, WAIT).stream()
            .map(bytes -> new String(PostfixReceiver.contentAsSent(bytes), ISO_8859_1))
            .toList();
    assertThat(delivered).containsExactlyInAnyOrderElementsOf(sent);
  }

  @Test
  void recipientInAnUnknownDomainIsRefusedAsRelayAccessDenied() throws SmtpClientException {
    byte[] sent = message("known@postfix.test", "mixed", "One of two recipients.\r\n");

    TransactionResult result =
        send(
            OutboundMessage.simple(
                SENDER, List.of("known@postfix.test", "someone@elsewhere.test"), sent));

    RecipientResult known = result.recipients().get(0);
    RecipientResult refused = result.recipients().get(1);
    assertThat(known.outcome()).as(known.toString()).isEqualTo(Outcome.DELIVERED);
    assertThat(refused.outcome()).isEqualTo(Outcome.PERMANENT);
    assertThat(refused.response().code()).isEqualTo(554);
    assertThat(refused.response().enhancedStatus()).isEqualTo("5.7.1");
    assertThat(refused.response().text()).contains("Relay access denied");
    assertSameBytes(PostfixReceiver.contentAsSent(awaitOne("known@postfix.test")), sent);
    assertThat(postfix.messages("someone@elsewhere.test")).isEmpty();
  }

  @Test
  void secondInstanceOnAnotherAddressIsIndependentAndCloseEndsAllItsProcesses(
      @TempDir Path otherWork) throws IOException, SmtpClientException {
    List<ProcessHandle> processes;
    PostfixReceiver other = PostfixReceiver.start(otherWork, "127.0.0.6", List.of("other.test"));
    try (other) {
      byte[] sent = message("isolated@other.test", "isolated", "For the second instance.\r\n");
      OutboundMessage message =
          OutboundMessage.simple(SENDER, List.of("isolated@other.test"), sent);

      TransactionResult toOther;
      try (SmtpClientConnection connection =
          SmtpClientConnection.open(
              other.address(), "other", "client.vireo.test", TlsPolicy.NONE, null, TIMEOUTS)) {
        toOther = connection.send(message);
      }
      TransactionResult toFirst = send(message);

      assertThat(toOther.allDelivered()).as(() -> toOther + "\n" + other.log()).isTrue();
      assertThat(toFirst.recipients().getFirst().outcome()).isEqualTo(Outcome.PERMANENT);
      assertSameBytes(
          PostfixReceiver.contentAsSent(
              other.awaitMessages("isolated@other.test", 1, WAIT).getFirst()),
          sent);
      assertThat(postfix.messages("isolated@other.test")).isEmpty();
      processes = Stream.concat(Stream.of(other.master()), other.master().descendants()).toList();
      assertThat(processes).hasSizeGreaterThan(1);
      assertThat(postfix.master().descendants()).doesNotContainAnyElementsOf(processes);
    }

    assertThat(processes).noneMatch(ProcessHandle::isAlive);
    assertThatThrownBy(() -> new Socket(other.address().getAddress(), other.address().getPort()))
        .isInstanceOf(IOException.class);
    assertThat(postfix.master().isAlive()).isTrue();
  }

  private static SmtpClientConnection open() throws SmtpClientException {
    return SmtpClientConnection.open(
        postfix.address(),
        "postfix-receiver.test",
        "client.vireo.test",
        TlsPolicy.NONE,
        null,
        TIMEOUTS);
  }

  private static TransactionResult send(OutboundMessage message) throws SmtpClientException {
    try (SmtpClientConnection connection = open()) {
      return connection.send(message);
    }
  }

  private static void assertDelivered(TransactionResult result) {
    assertThat(result.allDelivered())
        .as(() -> result + "\nPostfix log:\n" + postfix.log())
        .isTrue();
  }

  private static byte[] awaitOne(String mailbox) {
    List<byte[]> delivered = postfix.awaitMessages(mailbox, 1, WAIT);
    assertThat(delivered).as("messages for " + mailbox).hasSize(1);
    return delivered.getFirst();
  }

  private static byte[] message(String to, String subject, String body) {
    return message(to, subject, "", body);
  }

  private static byte[] message(String to, String subject, String extraHeaders, String body) {
    return ("From: Sender <"
            + SENDER
            + ">\r\nTo: <"
            + to
            + ">\r\nSubject: "
            + subject
            + "\r\nDate: Thu, 26 Nov 2026 20:00:00 +0000\r\nMessage-ID: <"
            + Math.abs((to + subject).hashCode())
            + "@vireo.test>\r\n"
            + extraHeaders
            + "\r\n"
            + body)
        .getBytes(UTF_8);
  }
}
