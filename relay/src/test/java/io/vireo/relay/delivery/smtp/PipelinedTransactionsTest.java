package io.vireo.relay.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vireo.queue.BodyType;
import io.vireo.queue.MessageContent;
import io.vireo.queue.Recipient;
import io.vireo.queue.Ret;
import io.vireo.relay.delivery.smtp.RecipientResult.Outcome;
import io.vireo.relay.testing.ScriptedSmtpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The next message's MAIL, RCPT and DATA written behind the previous message's content (RFC 2920
 * section 3.1), so that a busy connection costs one round trip per message.
 */
class PipelinedTransactionsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final ClientTimeouts TIMEOUTS = ClientTimeouts.uniform(Duration.ofSeconds(10));

  private ScriptedSmtpServer server;
  private final List<SmtpClientConnection> opened = new ArrayList<>();

  @BeforeEach
  void startServer() throws IOException {
    server = new ScriptedSmtpServer("127.0.0.3").hostname("mx1.example.test");
  }

  @AfterEach
  void stopServer() throws IOException {
    opened.forEach(SmtpClientConnection::close);
    server.close();
  }

  private SmtpClientConnection connect() throws SmtpClientException {
    SmtpClientConnection connection =
        SmtpClientConnection.open(
            server.address(),
            "mx1.example.test",
            "relay.vireo.test",
            TlsPolicy.NONE,
            null,
            TIMEOUTS);
    opened.add(connection);
    return connection;
  }

  private static OutboundMessage messageFrom(String sender, String... recipients) {
    byte[] content =
        ("Subject: to " + recipients[0] + "\r\n\r\nHello.\r\n").getBytes(StandardCharsets.US_ASCII);
    return new OutboundMessage(
        sender,
        List.of(recipients).stream().map(Recipient::of).toList(),
        MessageContent.of(content),
        BodyType.SEVEN_BIT,
        false,
        Ret.UNSPECIFIED,
        null);
  }

  private static OutboundMessage message(String... recipients) {
    return messageFrom("sender@vireo.test", recipients);
  }

  @Test
  void eachFollowingMessageStartsInTheSameWriteAsThePreviousDot() throws Exception {
    SmtpClientConnection connection = connect();
    List<OutboundMessage> messages = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      messages.add(message("r" + i + "@example.test"));
    }

    for (int i = 0; i < messages.size(); i++) {
      OutboundMessage next = i + 1 < messages.size() ? messages.get(i + 1) : null;
      TransactionResult result = connection.send(messages.get(i), next);
      assertThat(result.allDelivered()).as("message %d", i).isTrue();
      if (next != null) {
        assertThat(connection.hasStarted(next)).isTrue();
        assertThat(connection.usable()).as("a started connection takes no other message").isFalse();
      }
    }

    assertThat(connection.usable()).isTrue();
    assertThat(connection.transactions()).isEqualTo(6);
    assertThat(server.awaitMessages(6, WAIT))
        .extracting(m -> m.recipients().getFirst())
        .containsExactly(
            "r0@example.test",
            "r1@example.test",
            "r2@example.test",
            "r3@example.test",
            "r4@example.test",
            "r5@example.test");
    assertThat(server.mailsWithPreviousDot(1)).isEqualTo(5);
    // Only the first transaction's MAIL went out on its own; no RSET between messages.
    assertThat(server.commands(1)).doesNotContain("RSET");
  }

  @Test
  void sendingAnotherMessageThanTheStartedOneIsRefused() throws Exception {
    SmtpClientConnection connection = connect();
    OutboundMessage second = message("b@example.test");
    connection.send(message("a@example.test"), second);

    assertThatThrownBy(() -> connection.send(message("b@example.test")))
        .isInstanceOf(IllegalStateException.class);
    assertThat(connection.send(second).allDelivered()).isTrue();
  }

  @Test
  void refusedMailOfTheStartedMessageLeavesThePreviousDelivered() throws Exception {
    server.onMail(sender -> sender.startsWith("refused") ? "550 5.7.1 Sender refused" : null);
    SmtpClientConnection connection = connect();
    OutboundMessage second = messageFrom("refused@vireo.test", "b@example.test");

    assertThat(connection.send(message("a@example.test"), second).allDelivered()).isTrue();
    TransactionResult refused = connection.send(second);

    assertThat(refused.recipients().getFirst().outcome()).isEqualTo(Outcome.PERMANENT);
    assertThat(refused.recipients().getFirst().response().code()).isEqualTo(550);
    assertThat(connection.usable()).isTrue();
    assertThat(connection.send(message("c@example.test")).allDelivered()).isTrue();
    assertThat(server.awaitMessages(2, WAIT))
        .extracting(m -> m.recipients().getFirst())
        .containsExactly("a@example.test", "c@example.test");
  }

  @Test
  void refusedRecipientsOfTheStartedMessageGetTheirReplies() throws Exception {
    server.onRcpt(address -> address.startsWith("nobody") ? "550 5.1.1 No such user" : null);
    SmtpClientConnection connection = connect();
    OutboundMessage allRefused = message("nobody@example.test");
    OutboundMessage partlyRefused = message("nobody2@example.test", "bob@example.test");

    assertThat(connection.send(message("a@example.test"), allRefused).allDelivered()).isTrue();
    TransactionResult none = connection.send(allRefused, partlyRefused);
    TransactionResult some = connection.send(partlyRefused);

    assertThat(none.recipients().getFirst().response().code()).isEqualTo(550);
    // Nothing was sent for the refused message, so nothing could start behind it.
    assertThat(some.recipients())
        .extracting(RecipientResult::outcome)
        .containsExactly(Outcome.PERMANENT, Outcome.DELIVERED);
    assertThat(server.awaitMessages(2, WAIT))
        .extracting(m -> m.recipients())
        .containsExactly(List.of("a@example.test"), List.of("bob@example.test"));
  }

  @Test
  void dataRefusedForTheStartedMessageIsFinalForItAlone() throws Exception {
    server.onDataCommand(n -> n == 2 ? "554 5.7.1 Not today" : null);
    SmtpClientConnection connection = connect();
    OutboundMessage second = message("b@example.test");

    assertThat(connection.send(message("a@example.test"), second).allDelivered()).isTrue();
    TransactionResult refused = connection.send(second);

    assertThat(refused.recipients().getFirst().response().text()).startsWith("554 5.7.1");
    assertThat(connection.usable()).isTrue();
    assertThat(connection.send(message("c@example.test")).allDelivered()).isTrue();
    assertThat(server.awaitMessages(2, WAIT)).hasSize(2);
  }

  @Test
  void a421AfterTheContentAbandonsTheStartedMessage() throws Exception {
    server.onData(n -> n == 1 ? "421 4.3.2 Shutting down" : null);
    SmtpClientConnection connection = connect();
    OutboundMessage second = message("b@example.test");

    TransactionResult first = connection.send(message("a@example.test"), second);

    assertThat(first.recipients().getFirst().response().code()).isEqualTo(421);
    assertThat(connection.hasStarted(second)).isFalse();
    assertThat(connection.usable()).isFalse();
    assertThatThrownBy(() -> connection.send(second)).isInstanceOf(IllegalStateException.class);
    assertThat(server.messages()).isEmpty();
  }

  @Test
  void connectionLostAfterTheDotLeavesTheFirstUncertainAndNothingStarted() throws Exception {
    server.dropConnectionAfterData(1);
    SmtpClientConnection connection = connect();
    OutboundMessage second = message("b@example.test");

    SmtpClientException failure =
        catchThrowableOfType(
            SmtpClientException.class, () -> connection.send(message("a@example.test"), second));

    assertThat(failure.beforeDataSent()).as("the first message's content went out").isFalse();
    assertThat(connection.hasStarted(second)).isFalse();
    assertThat(connection.usable()).isFalse();
    assertThat(server.transactions()).isEmpty();
  }

  @Test
  void closingWithAStartedMessageAbortsItWithoutQuit() throws Exception {
    SmtpClientConnection connection = connect();
    connection.send(message("a@example.test"), message("b@example.test"));

    connection.close();

    server.awaitSessionsEnded(1, WAIT);
    assertThat(server.commands(1)).doesNotContain("QUIT").endsWith("DATA");
    assertThat(server.messages())
        .extracting(m -> m.recipients().getFirst())
        .containsExactly("a@example.test");
  }

  @Test
  void withoutPipeliningNothingIsStarted() throws Exception {
    server.withoutPipelining();
    SmtpClientConnection connection = connect();
    OutboundMessage second = message("b@example.test");

    assertThat(connection.send(message("a@example.test"), second).allDelivered()).isTrue();

    assertThat(connection.hasStarted(second)).isFalse();
    assertThat(connection.usable()).isTrue();
    assertThat(connection.send(second).allDelivered()).isTrue();
    assertThat(server.mailsWithPreviousDot(1)).isZero();
    assertThat(server.commandBatches(1)).allSatisfy(batch -> assertThat(batch).hasSize(1));
  }
}
