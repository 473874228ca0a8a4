package io.vireo.relay.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.queue.BodyType;
import io.vireo.queue.Envelope;
import io.vireo.queue.Notify;
import io.vireo.queue.Recipient;
import io.vireo.queue.Ret;
import io.vireo.queue.StoredMessage;
import io.vireo.relay.testing.SmtpTestClient.Reply;
import io.vireo.relay.testing.Await;
import io.vireo.relay.testing.SmtpTestClient;
import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Dialogues with a real {@link SmtpServer} over loopback, written as RFC 5321 transcripts. */
class SmtpDialogueTest {
  private static final String MESSAGE = "Subject: test\r\n\r\nHello.\r\n";

  private ServerFixture fixture;

  @BeforeEach
  void startServer() throws IOException {
    fixture = new ServerFixture().maxMessageSize(10_000).start();
  }

  @AfterEach
  void stopServer() {
    fixture.close();
  }

  private static String content(StoredMessage message) {
    return new String(message.content().toByteArray(), UTF_8);
  }

  /** The stored content after the Received header this server prepends. */
  private static String clientContent(StoredMessage message) {
    return new String(TraceHeaders.afterReceived(message.content().toByteArray()), UTF_8);
  }

  @Nested
  class GreetingAndHello {
    @Test
    void greetingNamesTheHost() throws IOException {
      try (SmtpTestClient c = SmtpTestClient.connect(fixture.address())) {
        assertThat(c.expect(220).text()).isEqualTo("mx.test ESMTP Vireo");
      }
    }

    @Test
    void ehloAdvertisesTheExtensions() throws IOException {
      try (SmtpTestClient c = fixture.connect()) {
        Reply ehlo = c.send("EHLO client.test").expect(250);
        assertThat(ehlo.lines())
            .containsExactly(
                "mx.test",
                "PIPELINING",
                "SIZE 10000",
                "8BITMIME",
                "SMTPUTF8",
                "ENHANCEDSTATUSCODES",
                "CHUNKING",
                "DSN",
                "HELP");
      }
    }

    @Test
    void heloGetsNoExtensions() throws IOException {
      try (SmtpTestClient c = fixture.connect()) {
        assertThat(c.send("HELO client.test").expect(250).lines()).containsExactly("mx.test");
        c.send("MAIL FROM:<a@client.test>").expect(250, "2.1.0");
        c.send("RCPT TO:<b@local.test>").expect(250, "2.1.5");
        c.send("DATA").expect(354);
        c.sendRaw(MESSAGE + ".\r\n").expect(250, "2.0.0");
      }
      assertThat(content(fixture.spool.only())).contains("with SMTP id");
    }

    @Test
    void esmtpParametersAfterHeloAreRefused() throws IOException {
      try (SmtpTestClient c = fixture.connect()) {
        c.send("HELO client.test").expect(250);
        c.send("MAIL FROM:<a@client.test> SIZE=10").expect(555, "5.5.4");
      }
    }

    @Test
    void ehloWithoutNameIsASyntaxError() throws IOException {
      try (SmtpTestClient c = fixture.connect()) {
        c.send("EHLO").expect(501, "5.5.4");
      }
    }
  }

  @Nested
  class SimpleCommands {
    @Test
    void noopRsetHelpVrfyExpnQuit() throws IOException {
      try (SmtpTestClient c = fixture.connect()) {
        c.send("NOOP").expect(250, "2.0.0");
        c.send("RSET").expect(250, "2.0.0");
        assertThat(c.send("HELP").expect(214, "2.0.0").lines()).hasSize(2);
        assertThat(c.send("VRFY postmaster").expect(252, "2.5.0").text())
            .isEqualTo("2.5.0 Cannot VRFY user, but will accept message and attempt delivery");
        c.send("EXPN staff").expect(502, "5.5.1");
        assertThat(c.send("QUIT").expect(221, "2.0.0").text()).contains("mx.test");
        c.expectClosed();
      }
    }

    @Test
    void withoutCertificateOrUsersStartTlsAndAuthAreNotImplemented() throws IOException {
      try (SmtpTestClient c = fixture.connectAndEhlo()) {
        c.send("STARTTLS").expect(502, "5.5.1");
        c.send("AUTH PLAIN AGZvbwBiYXI=").expect(502, "5.5.1");
      }
    }

    @Test
    void unknownCommandIs500() throws IOException {
      try (SmtpTestClient c = fixture.connect()) {
        c.send("FROB").expect(500, "5.5.1");
        c.send("NOOP").expect(250);
      }
    }

    @Test
    void badSyntaxIs501() throws IOException {
      try (SmtpTestClient c = fixture.connectAndEhlo()) {
        c.send("MAIL FROM:alice@client.test").expect(501, "5.5.4");
        c.send("MAIL FROM:<alice@@client.test>").expect(501, "5.1.7");
        c.send("MAIL FROM:<alice@client.test>").expect(250);
        c.send("RCPT TO:<bob@local.test> FOO=BAR").expect(555, "5.5.4");
      }
    }
  }

  @Nested
  class Sequence {
    @Test
    void mailNeedsHelloFirst() throws IOException {
      try (SmtpTestClient c = fixture.connect()) {
        c.send("MAIL FROM:<a@client.test>").expect(503, "5.5.1");
      }
    }

    @Test
    void rcptNeedsMailAndDataNeedsRcpt() throws IOException {
      try (SmtpTestClient c = fixture.connectAndEhlo()) {
        c.send("RCPT TO:<b@local.test>").expect(503, "5.5.1");
        c.send("DATA").expect(503, "5.5.1");
        c.send("MAIL FROM:<a@client.test>").expect(250);
        c.send("DATA").expect(503, "5.5.1");
      }
    }

    @Test
    void nestedMailIsRefused() throws IOException {
      try (SmtpTestClient c = fixture.connectAndEhlo()) {
        c.send("MAIL FROM:<a@client.test>").expect(250);
        c.send("MAIL FROM:<a@client.test>").expect(503, "5.5.1");
      }
    }

    @Test
    void rsetAndEhloEndTheTransaction() throws IOException {
      try (SmtpTestClient c = fixture.connectAndEhlo()) {
        c.send("MAIL FROM:<a@client.test>").expect(250);
        c.send("RSET").expect(250);
        c.send("RCPT TO:<b@local.test>").expect(503, "5.5.1");
        c.send("MAIL FROM:<a@client.test>").expect(250);
        c.send("EHLO client.test").expect(250);
        c.send("RCPT TO:<b@local.test>").expect(503, "5.5.1");
      }
    }
  }

  @Nested
  class Messages {
    @Test
    void messageIsStoredBeforeTheAcknowledgement() throws IOException {
      Reply queued;
      try (SmtpTestClient c = fixture.connectAndEhlo()) {
        c.send("MAIL FROM:<alice@client.test>").expect(250);
        c.send("RCPT TO:<bob@local.test>").expect(250);
        c.send("DATA").expect(354);
        queued = c.sendRaw(MESSAGE + "..dot line\r\n.\r\n").expect(250, "2.0.0");
      }
      StoredMessage stored = fixture.spool.only();
      Envelope envelope = stored.envelope();
      assertThat(queued.text()).isEqualTo("2.0.0 Ok: queued as " + envelope.id());
      assertThat(envelope.sender()).isEqualTo("alice@client.test");
      assertThat(envelope.recipients()).containsExactly(Recipient.of("bob@local.test"));
      assertThat(envelope.heloName()).isEqualTo("client.test");
      assertThat(envelope.clientAddress()).isEqualTo("127.0.0.1");
      assertThat(envelope.arrival()).isEqualTo(ServerFixture.NOW);
      assertThat(envelope.bodyType()).isEqualTo(BodyType.SEVEN_BIT);
      assertThat(envelope.ret()).isEqualTo(Ret.UNSPECIFIED);
      assertThat(content(stored))
          .isEqualTo(
              "Received: from client.test ([127.0.0.1])\r\n"
                  + "\tby mx.test (Vireo) with ESMTP id "
                  + envelope.id()
                  + "\r\n\tfor <bob@local.test>; Tue, 3 Jun 2025 11:05:30 +0000\r\n"
                  + MESSAGE
                  + ".dot line\r\n");
      // The hand-off to delivery runs on the session's thread right after the 250 went out.
      Await.until(
          "the accepted-message hook", Duration.ofSeconds(5), () -> !fixture.accepted.isEmpty());
      assertThat(fixture.accepted).containsExactly(envelope);
      assertThat(fixture.acceptingThreads.getFirst()).matches("smtp-127\\.0\\.0\\.1-\\d+");
    }

    @Test
    void severalRecipientsAreNotNamedInTheReceivedHeader() throws IOException {
      try (SmtpTestClient c = fixture.connectAndEhlo()) {
        c.send("MAIL FROM:<>").expect(250);
        c.send("RCPT TO:<bob@local.test>").expect(250);
        c.send("RCPT TO:<carol@elsewhere.test>").expect(250);
        c.send("DATA").expect(354);
        c.sendRaw(MESSAGE + ".\r\n").expect(250);
      }
      StoredMessage stored = fixture.spool.only();
      assertThat(stored.envelope().hasNullSender()).isTrue();
      assertThat(content(stored))
          .startsWith(
              "Received: from client.test ([127.0.0.1])\r\n\tby mx.test (Vireo) with ESMTP id ")
          .contains(";\r\n\tTue, 3 Jun 2025 11:05:30 +0000\r\n" + MESSAGE)
          .doesNotContain("for <");
    }

    @Test
    void dsnParametersReachTheEnvelope() throws IOException {
      try (SmtpTestClient c = fixture.connectAndEhlo()) {
        c.send("MAIL FROM:<a@client.test> RET=HDRS ENVID=QQ314159 BODY=8BITMIME SIZE=100")
            .expect(250);
        c.send("RCPT TO:<b@local.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b+40local.test")
            .expect(250);
        c.send("RCPT TO:<c@local.test> NOTIFY=NEVER").expect(250);
        c.send("DATA").expect(354);
        c.sendRaw(MESSAGE + ".\r\n").expect(250);
      }
      Envelope envelope = fixture.spool.only().envelope();
      assertThat(envelope.ret()).isEqualTo(Ret.HDRS);
      assertThat(envelope.envelopeId()).isEqualTo("QQ314159");
      assertThat(envelope.bodyType()).isEqualTo(BodyType.EIGHT_BIT_MIME);
      assertThat(envelope.recipients())
          .containsExactly(
              new Recipient(
                  "b@local.test", Set.of(Notify.SUCCESS, Notify.FAILURE), "rfc822;b+40local.test"),
              new Recipient("c@local.test", Set.of(Notify.NEVER), null));
    }

    @Test
    void utf8AddressesNeedSmtpUtf8() throws IOException {
      try (SmtpTestClient c = fixture.connectAndEhlo()) {
        c.send("MAIL FROM:<jürgen@client.test>").expect(553, "5.6.7");
        c.send("MAIL FROM:<a@client.test>").expect(250);
        c.send("RCPT TO:<用户@local.test>").expect(553, "5.6.7");
        c.send("RSET").expect(250);
        c.send("MAIL FROM:<jürgen@client.test> SMTPUTF8").expect(250);
        c.send("RCPT TO:<用户@local.test>").expect(250);
        c.send("DATA").expect(354);
        c.sendRaw("Subject: ü\r\n\r\n.\r\n").expect(250);
      }
      StoredMessage stored = fixture.spool.only();
      assertThat(stored.envelope().smtpUtf8()).isTrue();
      assertThat(stored.envelope().sender()).isEqualTo("jürgen@client.test");
      assertThat(content(stored)).contains("with UTF8SMTP id").contains("for <用户@local.test>");
    }

    @Test
    void declaredSizeOverTheLimitIsRefusedAtMail() throws IOException {
      try (SmtpTestClient c = fixture.connectAndEhlo()) {
        c.send("MAIL FROM:<a@client.test> SIZE=10001").expect(552, "5.3.4");
        c.send("MAIL FROM:<a@client.test> SIZE=10000").expect(250);
      }
    }

    @Test
    void contentOverTheLimitIsReadToTheEndThenRefused() throws IOException {
      try (SmtpTestClient c = fixture.connectAndEhlo()) {
        c.send("MAIL FROM:<a@client.test>").expect(250);
        c.send("RCPT TO:<b@local.test>").expect(250);
        c.send("DATA").expect(354);
        c.sendRaw(("x".repeat(998) + "\r\n").repeat(11) + ".\r\n").expect(552, "5.3.4");
        c.send("NOOP").expect(250);
        c.send("RCPT TO:<b@local.test>").expect(503);
      }
      assertThat(fixture.spool.messages()).isEmpty();
    }

    @Test
    void textLineOver1000OctetsIsRefused() throws IOException {
      try (SmtpTestClient c = fixture.connectAndEhlo()) {
        c.send("MAIL FROM:<a@client.test>").expect(250);
        c.send("RCPT TO:<b@local.test>").expect(250);
        c.send("DATA").expect(354);
        c.sendRaw("x".repeat(999) + "\r\n.\r\n").expect(554, "5.6.0");
        c.send("NOOP").expect(250);
      }
      assertThat(fixture.spool.messages()).isEmpty();
    }

    @Test
    void tooManyRecipients() throws IOException {
      try (SmtpTestClient c = fixture.connectAndEhlo()) {
        c.send("MAIL FROM:<a@client.test>").expect(250);
        for (int i = 1; i <= 5; i++) {
          c.send("RCPT TO:<r" + i + "@local.test>").expect(250);
        }
        c.send("RCPT TO:<r6@local.test>").expect(452, "4.5.3");
        c.send("DATA").expect(354);
        c.sendRaw(MESSAGE + ".\r\n").expect(250);
      }
      assertThat(fixture.spool.only().envelope().recipients()).hasSize(5);
    }

    @Test
    void spoolFailureIs452AndTheSessionGoesOn() throws IOException {
      try (SmtpTestClient c = fixture.connectAndEhlo()) {
        fixture.spool.failStores(true);
        c.send("MAIL FROM:<a@client.test>").expect(250);
        c.send("RCPT TO:<b@local.test>").expect(250);
        c.send("DATA").expect(354);
        assertThat(c.sendRaw(MESSAGE + ".\r\n").expect(452, "4.3.1").text())
            .isEqualTo("4.3.1 Insufficient system storage");
        fixture.spool.failStores(false);
        c.send("MAIL FROM:<a@client.test>").expect(250);
        c.send("RCPT TO:<b@local.test>").expect(250);
        c.send("DATA").expect(354);
        c.sendRaw(MESSAGE + ".\r\n").expect(250);
      }
      assertThat(fixture.spool.messages()).hasSize(1);
      Await.until(
          "the accepted-message hook", Duration.ofSeconds(5), () -> !fixture.accepted.isEmpty());
      assertThat(fixture.accepted).hasSize(1);
    }
  }

  @Nested
  class MalformedInput {
    @Test
    void commandLineOver512OctetsIsRefusedAndTheSessionGoesOn() throws IOException {
      try (SmtpTestClient c = fixture.connect()) {
        c.send("NOOP " + "x".repeat(507)).expect(500, "5.5.2");
        c.send("NOOP " + "x".repeat(10_000)).expect(500, "5.5.2");
        c.send("NOOP " + "x".repeat(505)).expect(250);
      }
    }

    @Test
    void bareLfOrCrInACommandIsRefused() throws IOException {
      try (SmtpTestClient c = fixture.connect()) {
        assertThat(c.sendRaw("NOOP\n").expect(500, "5.5.2").text()).contains("Bare CR or LF");
        c.sendRaw("NOOP\rRSET\r\n").expect(500, "5.5.2");
        c.send("NOOP").expect(250);
      }
    }

    /**
     * SMTP smuggling: the fake end of data and the commands after it are message content. The
     * message is refused for its bare LF only after the real end of data, and nothing smuggled is
     * executed.
     */
    @Test
    void smuggledMessageIsNeitherAcceptedNorExecuted() throws IOException {
      try (SmtpTestClient c = fixture.connectAndEhlo()) {
        c.send("MAIL FROM:<alice@client.test>").expect(250);
        c.send("RCPT TO:<bob@local.test>").expect(250);
        c.send("DATA").expect(354);
        c.sendRaw(
                "Subject: real\r\n\r\nhello\n.\n"
                    + "MAIL FROM:<ceo@local.test>\r\nRCPT TO:<victim@local.test>\r\nDATA\r\n"
                    + "Subject: smuggled\r\n\r\n.\r\n")
            .expect(554, "5.6.0");
        c.send("NOOP").expect(250);
      }
      assertThat(fixture.spool.messages()).isEmpty();
    }

    @Test
    void tooManyErrorsEndTheSession() throws IOException {
      fixture.close();
      fixture = new ServerFixture().maxErrors(2).start();
      try (SmtpTestClient c = fixture.connect()) {
        c.send("FOO").expect(500);
        c.send("BAR").expect(500);
        assertThat(c.send("BAZ").expect(421, "4.7.0").text()).isEqualTo("4.7.0 Too many errors");
        c.expectClosed();
      }
    }
  }

  @Nested
  class Pipelining {
    @Test
    void batchOfMailRcptRcptDataInOneWrite() throws IOException {
      try (SmtpTestClient c = fixture.connectAndEhlo()) {
        c.sendRaw(
            "MAIL FROM:<a@client.test>\r\nRCPT TO:<b@local.test>\r\nRCPT TO:<nobody@>\r\n"
                + "RCPT TO:<c@local.test>\r\nDATA\r\n");
        c.expect(250, "2.1.0");
        c.expect(250, "2.1.5");
        c.expect(501, "5.1.3");
        c.expect(250, "2.1.5");
        c.expect(354);
        c.sendRaw(MESSAGE + ".\r\nQUIT\r\n");
        c.expect(250, "2.0.0");
        c.expect(221);
        c.expectClosed();
      }
      assertThat(fixture.spool.only().envelope().recipients()).hasSize(2);
    }

    @Test
    void wholeSessionInOneWriteWithBdat() throws IOException {
      try (SmtpTestClient c = SmtpTestClient.connect(fixture.address())) {
        c.expect(220);
        String chunk = "Subject: one write\r\n\r\nbody\r\n";
        c.sendRaw(
            "EHLO client.test\r\nMAIL FROM:<a@client.test>\r\nRCPT TO:<b@local.test>\r\n"
                + "BDAT "
                + chunk.length()
                + " LAST\r\n"
                + chunk
                + "QUIT\r\n");
        c.expect(250);
        c.expect(250);
        c.expect(250);
        c.expect(250, "2.0.0");
        c.expect(221);
      }
      assertThat(clientContent(fixture.spool.only()))
          .isEqualTo("Subject: one write\r\n\r\nbody\r\n");
    }
  }

  @Nested
  class Chunking {
    @Test
    void chunksAreStoredExactly() throws IOException {
      String first = "Subject: chunked\r\n\r\n.\r\n";
      String second = "..not stuffed\r\n";
      try (SmtpTestClient c = fixture.connectAndEhlo()) {
        c.send("MAIL FROM:<a@client.test>").expect(250);
        c.send("RCPT TO:<b@local.test>").expect(250);
        assertThat(c.sendRaw("BDAT " + first.length() + "\r\n" + first).expect(250, "2.0.0").text())
            .isEqualTo("2.0.0 " + first.length() + " octets received");
        c.sendRaw("BDAT " + second.length() + " LAST\r\n" + second).expect(250, "2.0.0");
      }
      assertThat(clientContent(fixture.spool.only())).isEqualTo(first + second);
    }

    @Test
    void bdatWithoutTransactionIsRefusedAndItsChunkSkipped() throws IOException {
      try (SmtpTestClient c = fixture.connectAndEhlo()) {
        c.sendRaw("BDAT 6\r\nNOOP\r\n").expect(503, "5.5.1");
        c.send("MAIL FROM:<a@client.test>").expect(250);
        c.sendRaw("BDAT 6 LAST\r\nRSET\r\n").expect(503, "5.5.1");
        c.send("RCPT TO:<b@local.test>").expect(250);
      }
    }

    @Test
    void dataAfterBdatIsRefused() throws IOException {
      try (SmtpTestClient c = fixture.connectAndEhlo()) {
        c.send("MAIL FROM:<a@client.test>").expect(250);
        c.send("RCPT TO:<b@local.test>").expect(250);
        c.sendRaw("BDAT 3\r\nab\n").expect(554, "5.6.0");
        c.send("DATA").expect(503, "5.5.1");
        c.send("RSET").expect(250);
      }
    }

    @Test
    void oversizedChunksAreReadThenRefused() throws IOException {
      String big = ("y".repeat(998) + "\r\n").repeat(6);
      try (SmtpTestClient c = fixture.connectAndEhlo()) {
        c.send("MAIL FROM:<a@client.test>").expect(250);
        c.send("RCPT TO:<b@local.test>").expect(250);
        c.sendRaw("BDAT " + big.length() + "\r\n" + big).expect(250);
        c.sendRaw("BDAT " + big.length() + " LAST\r\n" + big).expect(552, "5.3.4");
        c.send("NOOP").expect(250);
      }
      assertThat(fixture.spool.messages()).isEmpty();
    }

    @Test
    void unreadableBdatClosesTheConnection() throws IOException {
      try (SmtpTestClient c = fixture.connectAndEhlo()) {
        c.send("MAIL FROM:<a@client.test>").expect(250);
        c.send("RCPT TO:<b@local.test>").expect(250);
        c.send("BDAT lots").expect(501, "5.5.4");
        c.expectClosed();
      }
    }
  }

  @Nested
  class Relaying {
    @BeforeEach
    void onlyTenNetMayRelay() throws IOException {
      fixture.close();
      fixture = new ServerFixture().allowNetworks("10.0.0.0/8").start();
    }

    @Test
    void foreignDomainFromOutsideTheAllowedNetworksIsDenied() throws IOException {
      try (SmtpTestClient c = fixture.connectAndEhlo()) {
        c.send("MAIL FROM:<a@client.test>").expect(250);
        assertThat(c.send("RCPT TO:<b@elsewhere.test>").expect(554, "5.7.1").text())
            .isEqualTo("5.7.1 Relay access denied");
        c.send("RCPT TO:<b@local.test>").expect(250);
        c.send("RCPT TO:<c@LOCAL.Test>").expect(250);
      }
    }

    @Test
    void addressTricksAreJudgedOnTheRealDomain() throws IOException {
      try (SmtpTestClient c = fixture.connectAndEhlo()) {
        c.send("MAIL FROM:<a@client.test>").expect(250);
        // Sender-specified routing through our own domain (issue 10's probe finding).
        c.send("RCPT TO:<victim%elsewhere.test@local.test>").expect(550, "5.7.1");
        c.send("RCPT TO:<elsewhere.test!victim@local.test>").expect(550, "5.7.1");
        c.send("RCPT TO:<\"victim@elsewhere.test\"@local.test>").expect(550, "5.7.1");
        c.send("RCPT TO:<\"victim@local.test\"@elsewhere.test>").expect(554, "5.7.1");
        c.send("RCPT TO:<@local.test:victim@elsewhere.test>").expect(554, "5.7.1");
        c.send("RCPT TO:<victim%local.test@elsewhere.test>").expect(554, "5.7.1");
        c.send("RCPT TO:<local.test!victim@elsewhere.test>").expect(554, "5.7.1");
        c.send("RCPT TO:<victim@elsewhere.test@local.test>").expect(501, "5.1.3");
      }
    }

    @Test
    void domainlessPostmasterIsRefused() throws IOException {
      try (SmtpTestClient c = fixture.connectAndEhlo()) {
        c.send("MAIL FROM:<a@client.test>").expect(250);
        c.send("RCPT TO:<Postmaster>").expect(550, "5.1.1");
      }
    }
  }

  @Test
  void allowedNetworkMayRelayAnywhere() throws IOException {
    try (SmtpTestClient c = fixture.connectAndEhlo()) {
      c.send("MAIL FROM:<a@client.test>").expect(250);
      c.send("RCPT TO:<b@elsewhere.test>").expect(250);
    }
  }
}
