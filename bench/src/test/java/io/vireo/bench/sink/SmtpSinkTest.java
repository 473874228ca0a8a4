package io.vireo.bench.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SmtpSinkTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  private SmtpSink sink;

  @BeforeEach
  void startSink() throws Exception {
    sink = new SmtpSink(SinkOptions.loopbackEphemeral().withRetainLastMessage(true)).start();
  }

  @AfterEach
  void closeSink() {
    sink.close();
  }

  @Test
  void ehloAdvertisesTheExtensionsALoadClientLooksFor() throws Exception {
    try (SmtpDialogue smtp = new SmtpDialogue(sink.port())) {
      smtp.expect(220);
      List<String> ehlo = smtp.send("EHLO client.test").expect(250);
      assertThat(ehlo)
          .extracting(line -> line.substring(4))
          .contains("PIPELINING", "8BITMIME", "SMTPUTF8", "ENHANCEDSTATUSCODES", "CHUNKING")
          .anyMatch(line -> line.startsWith("SIZE "));
    }
  }

  @Test
  void pipelinedMailRcptDataInOneWriteGetsRepliesInOrder() throws Exception {
    try (SmtpDialogue smtp = new SmtpDialogue(sink.port())) {
      smtp.expect(220);
      smtp.send("EHLO client.test").expect(250);
      smtp.sendRaw("MAIL FROM:<a@client.test>\r\nRCPT TO:<b@example.test>\r\nRCPT TO:<c@example.test>\r\nDATA\r\n");
      assertThat(smtp.expect(250)).singleElement().asString().contains("2.1.0");
      assertThat(smtp.expect(250)).singleElement().asString().contains("2.1.5");
      assertThat(smtp.expect(250)).singleElement().asString().contains("2.1.5");
      smtp.expect(354);
      smtp.sendRaw("Subject: t\r\n\r\n..dotted\r\nbody\r\n.\r\n").expect(250);
      smtp.send("QUIT").expect(221);
    }
    assertThat(sink.messages()).isEqualTo(1);
    assertThat(sink.recipients()).isEqualTo(2);
    ReceivedMessage message = sink.lastMessage().orElseThrow();
    assertThat(message.mailFrom()).isEqualTo("a@client.test");
    assertThat(message.recipients()).containsExactly("b@example.test", "c@example.test");
    assertThat(message.contentAsString()).isEqualTo("Subject: t\r\n\r\n.dotted\r\nbody\r\n");
  }

  @Test
  void twoPipelinedTransactionsAndQuitInOneWriteAreAllAnswered() throws Exception {
    String transaction = "MAIL FROM:<a@client.test>\r\nRCPT TO:<b@example.test>\r\nDATA\r\n";
    try (SmtpDialogue smtp = new SmtpDialogue(sink.port())) {
      smtp.expect(220);
      smtp.send("EHLO client.test").expect(250);
      // Content after DATA may only follow the 354, so each transaction ends the batch it starts.
      smtp.sendRaw(transaction);
      smtp.expect(250);
      smtp.expect(250);
      smtp.expect(354);
      smtp.sendRaw("one\r\n.\r\n" + transaction);
      smtp.expect(250);
      smtp.expect(250);
      smtp.expect(250);
      smtp.expect(354);
      smtp.sendRaw("two\r\n.\r\nQUIT\r\n");
      smtp.expect(250);
      smtp.expect(221);
      assertThat(smtp.closedByServer()).isTrue();
    }
    assertThat(sink.awaitMessages(2, WAIT)).isTrue();
    assertThat(sink.lastMessage().orElseThrow().contentAsString()).isEqualTo("two\r\n");
  }

  @Test
  void commandsOutOfSequenceAreRefused() throws Exception {
    try (SmtpDialogue smtp = new SmtpDialogue(sink.port())) {
      smtp.expect(220);
      smtp.send("HELO client.test").expect(250);
      smtp.send("RCPT TO:<b@example.test>").expect(503);
      smtp.send("DATA").expect(503);
      smtp.send("MAIL FROM:<a@client.test>").expect(250);
      smtp.send("MAIL FROM:<a@client.test>").expect(503);
      smtp.send("DATA").expect(554);
      smtp.send("RSET").expect(250);
      smtp.send("NOOP").expect(250);
      smtp.send("FROB").expect(500);
      smtp.send("MAIL FROM:<a@client.test> SIZE=999999999999").expect(552);
    }
    assertThat(sink.messages()).isZero();
  }

  @Test
  void overlongAndBareLfLinesAreRefusedWithoutLosingTheSession() throws Exception {
    try (SmtpDialogue smtp = new SmtpDialogue(sink.port())) {
      smtp.expect(220);
      smtp.send("NOOP " + "x".repeat(5_000)).expect(500);
      smtp.sendRaw("NOOP\n").expect(500);
      smtp.send("NOOP").expect(250);
    }
  }

  @Test
  void bdatChunksMakeOneMessage() throws Exception {
    try (SmtpDialogue smtp = new SmtpDialogue(sink.port())) {
      smtp.expect(220);
      smtp.send("EHLO client.test").expect(250);
      smtp.send("MAIL FROM:<a@client.test>").expect(250);
      smtp.send("RCPT TO:<b@example.test>").expect(250);
      smtp.sendRaw("BDAT 7\r\nhello\r\n").expect(250);
      smtp.sendRaw("BDAT 3 LAST\r\n.\r\n").expect(250);
    }
    assertThat(sink.messages()).isEqualTo(1);
    assertThat(sink.snapshot().bytes()).isEqualTo(10);
    assertThat(sink.lastMessage().orElseThrow().contentAsString()).isEqualTo("hello\r\n.\r\n");
  }

  @Test
  void awaitMessagesReturnsFalseAtTheTimeoutAndTrueOnceReached() throws Exception {
    assertThat(sink.awaitMessages(1, Duration.ofMillis(50))).isFalse();
    Thread waiter =
        Thread.ofVirtual()
            .start(
                () -> {
                  try (SmtpDialogue smtp = new SmtpDialogue(sink.port())) {
                    smtp.expect(220);
                    smtp.send("HELO client.test").expect(250);
                    smtp.send("MAIL FROM:<a@client.test>").expect(250);
                    smtp.send("RCPT TO:<b@example.test>").expect(250);
                    smtp.send("DATA").expect(354);
                    smtp.sendRaw("x\r\n.\r\n").expect(250);
                  } catch (Exception e) {
                    throw new AssertionError(e);
                  }
                });
    assertThat(sink.awaitMessages(1, WAIT)).isTrue();
    assertThat(waiter.join(WAIT)).isTrue();
  }

  @Test
  void countsConnectionsAndMessagesPerConnection() throws Exception {
    for (int i = 0; i < 3; i++) {
      try (SmtpDialogue smtp = new SmtpDialogue(sink.port())) {
        smtp.expect(220);
        smtp.send("QUIT").expect(221);
      }
    }
    assertThat(sink.connections()).isEqualTo(3);
  }

  @Test
  void closeEndsOpenSessions() throws Exception {
    try (SmtpDialogue smtp = new SmtpDialogue(sink.port())) {
      smtp.expect(220);
      sink.close();
      assertThat(smtp.closedByServer()).isTrue();
    }
  }
}
