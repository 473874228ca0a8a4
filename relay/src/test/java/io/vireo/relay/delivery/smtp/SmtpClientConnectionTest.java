package io.vireo.relay.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.vireo.queue.BodyType;
import io.vireo.queue.MessageContent;
import io.vireo.queue.Notify;
import io.vireo.queue.Recipient;
import io.vireo.queue.Ret;
import io.vireo.relay.delivery.smtp.RecipientResult.Outcome;
import io.vireo.relay.testing.ScriptedSmtpServer;
import io.vireo.relay.testing.ScriptedSmtpServer.ReceivedMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SmtpClientConnectionTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final ClientTimeouts TIMEOUTS = ClientTimeouts.uniform(Duration.ofSeconds(10));
  private static final byte[] HELLO =
      "Subject: hello\r\n\r\nHello, world.\r\n".getBytes(StandardCharsets.US_ASCII);

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
    return connect(TlsPolicy.NONE, TIMEOUTS);
  }

  private SmtpClientConnection connect(TlsPolicy tls, ClientTimeouts timeouts)
      throws SmtpClientException {
    SmtpClientConnection connection =
        SmtpClientConnection.open(
            server.address(), "mx1.example.test", "relay.vireo.test", tls, null, timeouts);
    opened.add(connection);
    return connection;
  }

  private static OutboundMessage message(byte[] content, String... recipients) {
    return OutboundMessage.simple("sender@vireo.test", List.of(recipients), content);
  }

  @Test
  void sendsAMessage() throws Exception {
    SmtpClientConnection connection = connect();

    TransactionResult result = connection.send(message(HELLO, "alice@example.test"));

    assertThat(result.allDelivered()).isTrue();
    assertThat(result.recipients().getFirst().response().text()).startsWith("250 2.0.0 Ok");
    assertThat(result.remote()).isEqualTo("mx1.example.test[127.0.0.3]:" + server.port());
    assertThat(connection.remoteDescription()).isEqualTo(result.remote());
    assertThat(connection.transactions()).isEqualTo(1);
    assertThat(connection.usable()).isTrue();
    ReceivedMessage received = server.awaitMessages(1, WAIT).getFirst();
    assertThat(received.mailFrom()).isEqualTo("sender@vireo.test");
    assertThat(received.recipients()).containsExactly("alice@example.test");
    assertThat(received.data()).isEqualTo(HELLO);
    assertThat(server.commands(1)).startsWith("EHLO relay.vireo.test");
  }

  @Test
  void pipeliningSendsMailRcptsAndDataInOneWrite() throws Exception {
    SmtpClientConnection connection = connect();
    assertThat(connection.capabilities().pipelining()).isTrue();

    TransactionResult result =
        connection.send(message(HELLO, "a@example.test", "b@example.test", "c@example.test"));

    assertThat(result.allDelivered()).isTrue();
    assertThat(server.commandBatches(1))
        .contains(
            List.of(
                "MAIL FROM:<sender@vireo.test>",
                "RCPT TO:<a@example.test>",
                "RCPT TO:<b@example.test>",
                "RCPT TO:<c@example.test>",
                "DATA"));
    assertThat(server.awaitMessages(1, WAIT).getFirst().recipients())
        .containsExactly("a@example.test", "b@example.test", "c@example.test");
  }

  @Test
  void withoutPipeliningEachCommandWaitsForItsReply() throws Exception {
    server.withoutPipelining();
    SmtpClientConnection connection = connect();

    TransactionResult result = connection.send(message(HELLO, "a@example.test", "b@example.test"));

    assertThat(result.allDelivered()).isTrue();
    List<List<String>> batches = server.commandBatches(1);
    assertThat(batches)
        .containsSubsequence(
            List.of("MAIL FROM:<sender@vireo.test>"),
            List.of("RCPT TO:<a@example.test>"),
            List.of("RCPT TO:<b@example.test>"),
            List.of("DATA"));
    assertThat(server.awaitMessages(1, WAIT).getFirst().data()).isEqualTo(HELLO);
  }

  @Test
  void largeRecipientListsArePipelinedInBoundedGroups() throws Exception {
    SmtpClientConnection connection = connect();
    String[] recipients =
        IntStream.range(0, 250).mapToObj(i -> "r" + i + "@example.test").toArray(String[]::new);

    TransactionResult result = connection.send(message(HELLO, recipients));

    assertThat(result.allDelivered()).isTrue();
    assertThat(server.awaitMessages(1, WAIT).getFirst().recipients()).hasSize(250);
    assertThat(server.commandBatches(1))
        .allSatisfy(
            batch ->
                assertThat(batch).hasSizeLessThanOrEqualTo(ClientTransaction.MAX_PIPELINE_GROUP));
  }

  @ParameterizedTest(name = "pipelining={0}")
  @ValueSource(booleans = {true, false})
  void mixedRecipientRepliesGivePerRecipientResults(boolean pipelining) throws Exception {
    if (!pipelining) {
      server.withoutPipelining();
    }
    server.onRcpt(
        address ->
            switch (address.substring(0, address.indexOf('@'))) {
              case "bad" -> "550 5.1.1 No such user";
              case "later" -> "451 4.3.0 Try later";
              default -> null;
            });
    SmtpClientConnection connection = connect();

    TransactionResult result =
        connection.send(
            message(HELLO, "good@example.test", "bad@example.test", "later@example.test"));

    assertThat(result.recipients())
        .extracting(RecipientResult::outcome)
        .containsExactly(Outcome.DELIVERED, Outcome.PERMANENT, Outcome.TRANSIENT);
    assertThat(result.recipients().get(1).response().text()).isEqualTo("550 5.1.1 No such user");
    assertThat(result.recipients().get(2).response().enhancedStatus()).isEqualTo("4.3.0");
    assertThat(result.withOutcome(Outcome.DELIVERED))
        .extracting(r -> r.recipient().address())
        .containsExactly("good@example.test");
    assertThat(server.awaitMessages(1, WAIT).getFirst().recipients())
        .containsExactly("good@example.test");
  }

  @Test
  void transientReplyAfterTheContentDefersAcceptedRecipients() throws Exception {
    server.onData(n -> n == 1 ? "451 4.3.0 Try later" : null);
    server.onRcpt(address -> address.startsWith("bad") ? "550 5.1.1 No such user" : null);
    SmtpClientConnection connection = connect();

    TransactionResult first =
        connection.send(message(HELLO, "a@example.test", "bad@example.test", "b@example.test"));
    TransactionResult second = connection.send(message(HELLO, "a@example.test"));

    assertThat(first.recipients())
        .extracting(RecipientResult::outcome)
        .containsExactly(Outcome.TRANSIENT, Outcome.PERMANENT, Outcome.TRANSIENT);
    assertThat(first.recipients().getFirst().response().text()).isEqualTo("451 4.3.0 Try later");
    assertThat(second.allDelivered()).isTrue();
    assertThat(server.transactions()).hasSize(2);
    assertThat(server.connectionCount()).isEqualTo(1);
  }

  @ParameterizedTest(name = "pipelining={0}")
  @ValueSource(booleans = {true, false})
  void refusedDataCommandAppliesToAcceptedRecipientsAndTheNextMessageResets(boolean pipelining)
      throws Exception {
    if (!pipelining) {
      server.withoutPipelining();
    }
    server.onDataCommand(n -> n == 1 ? "452 4.3.1 Insufficient system storage" : null);
    SmtpClientConnection connection = connect();

    TransactionResult first = connection.send(message(HELLO, "a@example.test"));
    TransactionResult second = connection.send(message(HELLO, "b@example.test"));

    assertThat(first.recipients().getFirst().outcome()).isEqualTo(Outcome.TRANSIENT);
    assertThat(first.recipients().getFirst().response().code()).isEqualTo(452);
    assertThat(second.allDelivered()).isTrue();
    // The server still had the first MAIL in effect, so the client cleared it before the second.
    List<String> commands = server.commands(1);
    assertThat(commands).containsSubsequence("DATA", "RSET", "MAIL FROM:<sender@vireo.test>");
    assertThat(server.awaitMessages(1, WAIT).getFirst().recipients())
        .containsExactly("b@example.test");
  }

  @ParameterizedTest(name = "pipelining={0}")
  @ValueSource(booleans = {true, false})
  void permanentReplyToMailFailsEveryRecipient(boolean pipelining) throws Exception {
    if (!pipelining) {
      server.withoutPipelining();
    }
    server.onMail(sender -> sender.startsWith("blocked") ? "550 5.7.1 Sender rejected" : null);
    SmtpClientConnection connection = connect();

    TransactionResult result =
        connection.send(
            OutboundMessage.simple(
                "blocked@vireo.test", List.of("a@example.test", "b@example.test"), HELLO));

    assertThat(result.recipients())
        .allSatisfy(
            r -> {
              assertThat(r.outcome()).isEqualTo(Outcome.PERMANENT);
              assertThat(r.response().text()).isEqualTo("550 5.7.1 Sender rejected");
            });
    assertThat(server.transactions()).isEmpty();
    assertThat(connection.usable()).isTrue();
    assertThat(connection.send(message(HELLO, "a@example.test")).allDelivered()).isTrue();
  }

  @ParameterizedTest(name = "pipelining={0}")
  @ValueSource(booleans = {true, false})
  void noAcceptedRecipientMeansNoContentIsSent(boolean pipelining) throws Exception {
    if (!pipelining) {
      server.withoutPipelining();
    }
    server.onRcpt(address -> "550 5.1.1 No such user");
    SmtpClientConnection connection = connect();

    TransactionResult result = connection.send(message(HELLO, "x@example.test", "y@example.test"));

    assertThat(result.withOutcome(Outcome.PERMANENT)).hasSize(2);
    assertThat(server.transactions()).isEmpty();
    if (!pipelining) {
      assertThat(server.commands(1)).doesNotContain("DATA");
    }
    server.onRcpt(address -> null);
    assertThat(connection.send(message(HELLO, "z@example.test")).allDelivered()).isTrue();
    assertThat(server.commands(1)).contains("RSET");
  }

  @Test
  void pipelinedDataAcceptedWithoutRecipientsGetsOnlyTheTerminatingDot() throws Exception {
    server.onRcpt(address -> "550 5.1.1 No such user");
    server.onDataCommand(n -> n == 1 ? "354 go ahead anyway" : null);
    SmtpClientConnection connection = connect();

    TransactionResult result = connection.send(message(HELLO, "x@example.test"));

    assertThat(result.recipients().getFirst().response().code()).isEqualTo(550);
    ReceivedMessage empty = server.transactions().getFirst();
    assertThat(new String(empty.wire(), StandardCharsets.US_ASCII)).isEqualTo(".\r\n");
    server.onRcpt(address -> null);
    assertThat(connection.send(message(HELLO, "z@example.test")).allDelivered()).isTrue();
  }

  @Test
  void aCompletionReplyToDataIsAProtocolErrorNotADelivery() throws Exception {
    server.onDataCommand(n -> "250 2.0.0 sure");
    SmtpClientConnection connection = connect();

    SmtpClientException failure =
        catchThrowableOfType(
            SmtpClientException.class, () -> connection.send(message(HELLO, "a@example.test")));

    assertThat(failure).hasMessageContaining("instead of 354");
    assertThat(failure.beforeDataSent()).isTrue();
    assertThat(connection.usable()).isFalse();
  }

  @Test
  void contentOverTheServersSizeIsRefusedLocallyWithoutATransaction() throws Exception {
    server.withSize(100);
    SmtpClientConnection connection = connect();

    TransactionResult result =
        connection.send(message(new byte[1000], "a@example.test", "b@example.test"));

    assertThat(result.recipients())
        .allSatisfy(
            r -> {
              assertThat(r.outcome()).isEqualTo(Outcome.PERMANENT);
              assertThat(r.response().code()).isEqualTo(552);
              assertThat(r.response().enhancedStatus()).isEqualTo("5.3.4");
            });
    assertThat(connection.transactions()).isZero();
    assertThat(server.commands(1)).noneMatch(c -> c.startsWith("MAIL"));
  }

  @Test
  void sizeParameterIsDeclaredWhenOffered() throws Exception {
    server.withSize(10_000);
    SmtpClientConnection connection = connect();

    connection.send(message(HELLO, "a@example.test"));

    assertThat(server.awaitMessages(1, WAIT).getFirst().mailParameters())
        .containsExactly("SIZE=" + HELLO.length);
  }

  @Test
  void dotStuffingRoundTripsByteExact() throws Exception {
    byte[] content =
        ("Subject: dots\r\n\r\n.\r\n..\r\n.leading\r\nmiddle.dot\r\n...\r\n. space\r\n.")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] expected =
        ("Subject: dots\r\n\r\n.\r\n..\r\n.leading\r\nmiddle.dot\r\n...\r\n. space\r\n.\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    SmtpClientConnection connection = connect();

    connection.send(message(content, "a@example.test"));

    ReceivedMessage received = server.awaitMessages(1, WAIT).getFirst();
    assertThat(received.data()).isEqualTo(expected);
    assertThat(new String(received.wire(), StandardCharsets.US_ASCII))
        .contains("\r\n..\r\n...\r\n..leading\r\nmiddle.dot\r\n....\r\n.. space\r\n..\r\n.\r\n");
  }

  @Test
  void largeChunkedContentArrivesIntact() throws Exception {
    MessageContent.Builder builder = new MessageContent.Builder();
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < 40_000; i++) {
      String line = (i % 7 == 0 ? "." : "") + "line " + i + " of a long message\r\n";
      builder.write(line.getBytes(StandardCharsets.US_ASCII));
      expected.append(line);
    }
    MessageContent content = builder.build();
    assertThat(content.chunkCount()).isGreaterThan(1);
    SmtpClientConnection connection = connect();

    TransactionResult result =
        connection.send(
            new OutboundMessage(
                "s@vireo.test",
                List.of(Recipient.of("a@example.test")),
                content,
                BodyType.SEVEN_BIT,
                false,
                Ret.UNSPECIFIED,
                null));

    assertThat(result.allDelivered()).isTrue();
    assertThat(server.awaitMessages(1, WAIT).getFirst().dataAsString())
        .isEqualTo(expected.toString());
  }

  @Test
  void bareLineFeedsAndCarriageReturnsAreNeverEmitted() throws Exception {
    byte[] content = "a\nb\rc\r\n.\nd".getBytes(StandardCharsets.US_ASCII);
    SmtpClientConnection connection = connect();

    connection.send(message(content, "a@example.test"));

    ReceivedMessage received = server.awaitMessages(1, WAIT).getFirst();
    byte[] wire = received.wire();
    for (int i = 0; i < wire.length; i++) {
      if (wire[i] == '\n') {
        assertThat(i).isPositive();
        assertThat(wire[i - 1]).as("byte before LF at %d", i).isEqualTo((byte) '\r');
      }
      if (wire[i] == '\r') {
        assertThat(wire[i + 1]).as("byte after CR at %d", i).isEqualTo((byte) '\n');
      }
    }
    assertThat(received.dataAsString()).isEqualTo("a\r\nb\r\nc\r\n.\r\nd\r\n");
  }

  @Test
  void greeting421ThrowsWithTheResponse() {
    server.greeting("421 4.3.2 busy");

    SmtpClientException failure = catchThrowableOfType(SmtpClientException.class, this::connect);

    assertThat(failure.response().code()).isEqualTo(421);
    assertThat(failure.response().text()).isEqualTo("421 4.3.2 busy");
    assertThat(failure.beforeDataSent()).isTrue();
  }

  @Test
  void greeting554IsAnsweredWithQuit() {
    server.greeting("554 5.7.1 No service for you");

    SmtpClientException failure = catchThrowableOfType(SmtpClientException.class, this::connect);

    assertThat(failure.response().isPermanent()).isTrue();
    server.awaitSessionsEnded(1, WAIT);
    assertThat(server.commands(1)).containsExactly("QUIT");
  }

  @Test
  void connectionRefusedIsAnException() throws IOException {
    int port = server.port();
    server.close();

    assertThatThrownBy(
            () ->
                SmtpClientConnection.open(
                    new java.net.InetSocketAddress("127.0.0.3", port),
                    "mx1.example.test",
                    "relay.vireo.test",
                    TlsPolicy.NONE,
                    null,
                    TIMEOUTS))
        .isInstanceOf(SmtpClientException.class)
        .hasMessageContaining("cannot connect");
  }

  @Test
  void rejectedEhloFallsBackToHelo() throws Exception {
    server.rejectEhlo();
    SmtpClientConnection connection = connect();

    assertThat(connection.capabilities().extended()).isFalse();
    assertThat(connection.send(message(HELLO, "a@example.test")).allDelivered()).isTrue();
    assertThat(server.commands(1)).startsWith("EHLO relay.vireo.test", "HELO relay.vireo.test");
  }

  @Test
  void connectionDroppedDuringDataThrowsAndLeavesTheConnectionUnusable() throws Exception {
    server.dropConnectionDuringData(1);
    SmtpClientConnection connection = connect();
    byte[] large = "0123456789abcdef\r\n".repeat(200_000).getBytes(StandardCharsets.US_ASCII);

    SmtpClientException failure =
        catchThrowableOfType(
            SmtpClientException.class, () -> connection.send(message(large, "a@example.test")));

    assertThat(failure.beforeDataSent()).isFalse();
    assertThat(failure.response()).isNull();
    assertThat(connection.usable()).isFalse();
    assertThat(connection.reset()).isFalse();
    assertThatThrownBy(() -> connection.send(message(HELLO, "a@example.test")))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void replyTimeoutThrowsAndLeavesTheConnectionUnusable() throws Exception {
    ClientTimeouts quick =
        new ClientTimeouts(
            Duration.ofSeconds(5),
            Duration.ofSeconds(5),
            Duration.ofMillis(300),
            Duration.ofSeconds(5),
            Duration.ofSeconds(5),
            Duration.ofSeconds(5));
    SmtpClientConnection connection = connect(TlsPolicy.NONE, quick);
    server.delayEachReply(Duration.ofSeconds(3));

    SmtpClientException failure =
        catchThrowableOfType(
            SmtpClientException.class, () -> connection.send(message(HELLO, "a@example.test")));

    assertThat(failure).hasMessageContaining("timed out");
    assertThat(failure.beforeDataSent()).isTrue();
    assertThat(connection.usable()).isFalse();
  }

  @Test
  void aWriteThatStallsTimesOut() throws Exception {
    ClientTimeouts quick =
        new ClientTimeouts(
            Duration.ofSeconds(5),
            Duration.ofSeconds(5),
            Duration.ofSeconds(5),
            Duration.ofSeconds(5),
            Duration.ofMillis(300),
            Duration.ofSeconds(5));
    server.stallDuringData(1);
    SmtpClientConnection connection = connect(TlsPolicy.NONE, quick);
    // Far more than loopback socket buffers hold, so the client's write must block.
    byte[] huge =
        "0123456789abcdef0123456789abcdef\r\n"
            .repeat(1_000_000)
            .getBytes(StandardCharsets.US_ASCII);

    SmtpClientException failure =
        catchThrowableOfType(
            SmtpClientException.class, () -> connection.send(message(huge, "a@example.test")));

    assertThat(failure).hasMessageContaining("timed out");
    assertThat(failure.beforeDataSent()).isFalse();
    assertThat(connection.usable()).isFalse();
  }

  @Test
  void oneConnectionCarriesTenMessagesWithRsetBetween() throws Exception {
    SmtpClientConnection connection = connect();

    for (int i = 0; i < 10; i++) {
      assertThat(connection.send(message(HELLO, "user" + i + "@example.test")).allDelivered())
          .isTrue();
      assertThat(connection.reset()).isTrue();
    }

    assertThat(server.awaitMessages(10, WAIT)).hasSize(10);
    assertThat(server.connectionCount()).isEqualTo(1);
    assertThat(connection.transactions()).isEqualTo(10);
    assertThat(server.commands(1).stream().filter("RSET"::equals)).hasSize(10);
  }

  @Test
  void a421ReplyEndsTheSession() throws Exception {
    server.onRcpt(address -> address.startsWith("second") ? "421 4.3.2 Shutting down" : null);
    SmtpClientConnection connection = connect();

    TransactionResult result =
        connection.send(message(HELLO, "first@example.test", "second@example.test"));

    assertThat(result.recipients())
        .allSatisfy(r -> assertThat(r.outcome()).isEqualTo(Outcome.TRANSIENT));
    assertThat(connection.usable()).isFalse();
  }

  @Test
  void unsolicitedReplyOnAnIdleConnectionMakesItUnusable() throws Exception {
    SmtpClientConnection connection = connect();
    assertThat(connection.usable()).isTrue();

    server.disconnectAll("421 4.4.2 Idle timeout");
    server.awaitSessionsEnded(1, WAIT);

    // On loopback the 421 is in the client's receive buffer once the server has closed.
    assertThat(connection.usable()).isFalse();
  }

  @Test
  void dsnParametersAreSentOnlyWhenOffered() throws Exception {
    OutboundMessage withDsn =
        new OutboundMessage(
            "sender@vireo.test",
            List.of(
                new Recipient(
                    "a@example.test",
                    Set.of(Notify.FAILURE, Notify.SUCCESS),
                    "rfc822;A+tag@example.test"),
                new Recipient("b@example.test", Set.of(Notify.NEVER), null)),
            MessageContent.of(HELLO),
            BodyType.SEVEN_BIT,
            false,
            Ret.HDRS,
            "queue id=42");

    SmtpClientConnection plain = connect();
    plain.send(withDsn);
    ReceivedMessage withoutExtension = server.awaitMessages(1, WAIT).getFirst();

    server.withDsn();
    SmtpClientConnection dsn = connect();
    assertThat(dsn.capabilities().dsn()).isTrue();
    assertThat(dsn.send(withDsn).allDelivered()).isTrue();
    ReceivedMessage withExtension = server.awaitMessages(2, WAIT).get(1);

    assertThat(withoutExtension.mailParameters()).isEmpty();
    assertThat(withoutExtension.recipientCommands())
        .containsExactly("RCPT TO:<a@example.test>", "RCPT TO:<b@example.test>");
    assertThat(withExtension.mailParameters()).containsExactly("RET=HDRS", "ENVID=queue+20id+3D42");
    assertThat(withExtension.recipientCommands())
        .containsExactly(
            "RCPT TO:<a@example.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;A+2Btag@example.test",
            "RCPT TO:<b@example.test> NOTIFY=NEVER");
  }

  @Test
  void eightBitContentDeclaresBodyWhenOffered() throws Exception {
    byte[] content =
        "Subject: caf\u00e9\r\n\r\nd\u00e9j\u00e0 vu\r\n".getBytes(StandardCharsets.UTF_8);
    SmtpClientConnection connection = connect();

    TransactionResult result = connection.send(eightBit(content));

    assertThat(result.allDelivered()).isTrue();
    ReceivedMessage received = server.awaitMessages(1, WAIT).getFirst();
    assertThat(received.mailParameters()).containsExactly("BODY=8BITMIME");
    assertThat(received.data()).isEqualTo(content);
  }

  @Test
  void eightBitContentIsRefusedLocallyWithout8BitMime() throws Exception {
    server.withoutEightBitMime();
    SmtpClientConnection connection = connect();

    TransactionResult result =
        connection.send(eightBit("d\u00e9j\u00e0 vu\r\n".getBytes(StandardCharsets.UTF_8)));

    RecipientResult only = result.recipients().getFirst();
    assertThat(only.outcome()).isEqualTo(Outcome.PERMANENT);
    assertThat(only.response().code()).isEqualTo(554);
    assertThat(only.response().enhancedStatus()).isEqualTo("5.6.3");
    assertThat(connection.transactions()).isZero();
  }

  @Test
  void declaredEightBitButActuallySevenBitGoesWithoutBodyParameter() throws Exception {
    server.withoutEightBitMime();
    SmtpClientConnection connection = connect();

    TransactionResult result = connection.send(eightBit(HELLO));

    assertThat(result.allDelivered()).isTrue();
    assertThat(server.awaitMessages(1, WAIT).getFirst().mailParameters()).isEmpty();
  }

  @Test
  void binaryContentThatIsNotLineStructuredIsRefusedLocally() throws Exception {
    SmtpClientConnection connection = connect();
    OutboundMessage binary =
        new OutboundMessage(
            "s@vireo.test",
            List.of(Recipient.of("a@example.test")),
            MessageContent.of(new byte[] {'a', 0, '\n', 'b'}),
            BodyType.BINARY_MIME,
            false,
            Ret.UNSPECIFIED,
            null);

    RecipientResult only = connection.send(binary).recipients().getFirst();

    assertThat(only.response().text()).startsWith("554 5.6.3");
  }

  @Test
  void smtpUtf8IsRequestedWhenNeededAndRefusedLocallyWhenNotOffered() throws Exception {
    OutboundMessage international =
        new OutboundMessage(
            "s\u00e9nder@vireo.test",
            List.of(Recipient.of("j\u00f6rg@example.test")),
            MessageContent.of(HELLO),
            BodyType.SEVEN_BIT,
            true,
            Ret.UNSPECIFIED,
            null);
    SmtpClientConnection offering = connect();

    assertThat(offering.send(international).allDelivered()).isTrue();
    ReceivedMessage received = server.awaitMessages(1, WAIT).getFirst();
    assertThat(received.mailParameters()).containsExactly("SMTPUTF8");
    assertThat(received.recipients()).containsExactly("j\u00f6rg@example.test");

    server.withoutSmtpUtf8();
    SmtpClientConnection lacking = connect();
    RecipientResult refused = lacking.send(international).recipients().getFirst();
    assertThat(refused.response().text()).startsWith("553 5.6.7");
    assertThat(refused.outcome()).isEqualTo(Outcome.PERMANENT);
  }

  @Test
  void addressesWithLineBreaksAreNeverSent() throws Exception {
    SmtpClientConnection connection = connect();

    TransactionResult result =
        connection.send(message(HELLO, "ok@example.test", "x@example.test>\r\nRSET"));

    assertThat(result.recipients().get(0).outcome()).isEqualTo(Outcome.DELIVERED);
    assertThat(result.recipients().get(1).response().text()).startsWith("501 5.1.3");
    assertThat(server.commands(1)).noneMatch(c -> c.contains("x@example.test"));
  }

  @Test
  void closeSaysQuit() throws Exception {
    SmtpClientConnection connection = connect();

    connection.close();

    server.awaitSessionsEnded(1, WAIT);
    assertThat(server.commands(1)).endsWith("QUIT");
    assertThat(connection.usable()).isFalse();
  }

  private static OutboundMessage eightBit(byte[] content) {
    return new OutboundMessage(
        "s@vireo.test",
        List.of(Recipient.of("a@example.test")),
        MessageContent.of(content),
        BodyType.EIGHT_BIT_MIME,
        false,
        Ret.UNSPECIFIED,
        null);
  }
}
