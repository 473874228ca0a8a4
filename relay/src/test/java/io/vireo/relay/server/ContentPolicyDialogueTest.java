package io.vireo.relay.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.config.NulPolicy;
import io.vireo.relay.testing.SmtpTestClient;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What the listener does with bad message content (issue 10's probe findings): a NUL octet is
 * refused with 554 5.6.0, or removed with {@code limits.nul: strip}, and never stored; any content
 * error in DATA or BDAT fails the transaction with 554 5.6.0, not a command syntax error, and the
 * session carries on.
 */
class ContentPolicyDialogueTest {
  private ServerFixture fixture;

  @AfterEach
  void stopServer() {
    fixture.close();
  }

  private String storedClientContent() {
    byte[] stored = fixture.spool.only().content().toByteArray();
    return new String(TraceHeaders.afterReceived(stored), UTF_8);
  }

  /** A whole good transaction on the same connection: the session is still usable. */
  private static void sendGoodMessage(SmtpTestClient c) throws IOException {
    c.send("MAIL FROM:<a@client.test>").expect(250, "2.1.0");
    c.send("RCPT TO:<b@local.test>").expect(250, "2.1.5");
    c.send("DATA").expect(354);
    c.sendRaw("Subject: good\r\n\r\nclean\r\n.\r\n").expect(250, "2.0.0");
  }

  @Nested
  class ByDefaultNulIsRefused {
    @BeforeEach
    void start() throws IOException {
      fixture = new ServerFixture().start();
    }

    @Test
    void nulInDataIs554AndTheSessionGoesOn() throws IOException {
      try (SmtpTestClient c = fixture.connectAndEhlo()) {
        c.send("MAIL FROM:<a@client.test>").expect(250);
        c.send("RCPT TO:<b@local.test>").expect(250);
        c.send("DATA").expect(354);
        String text =
            c.sendRaw("Subject: nul\r\n\r\nbefore\0after\r\n.\r\n").expect(554, "5.6.0").text();
        assertThat(text).contains("NUL");
        c.send("NOOP").expect(250, "2.0.0");
        sendGoodMessage(c);
      }
      assertThat(storedClientContent()).isEqualTo("Subject: good\r\n\r\nclean\r\n");
    }

    /**
     * A next hop that strips NUL would read {@code <CRLF><NUL>.<CRLF>} as the end of data and run
     * what follows as commands; here it is content, and the message is refused at its real end.
     */
    @Test
    void nulBeforeADotNeitherEndsTheDataNorRunsWhatFollows() throws IOException {
      try (SmtpTestClient c = fixture.connectAndEhlo()) {
        c.send("MAIL FROM:<a@client.test>").expect(250);
        c.send("RCPT TO:<b@local.test>").expect(250);
        c.send("DATA").expect(354);
        c.sendRaw(
                "Subject: real\r\n\r\nhello\r\n\0.\r\n"
                    + "MAIL FROM:<ceo@local.test>\r\nRCPT TO:<victim@local.test>\r\nDATA\r\n"
                    + "Subject: smuggled\r\n\r\n.\r\n")
            .expect(554, "5.6.0");
        c.send("NOOP").expect(250);
      }
      assertThat(fixture.spool.messages()).isEmpty();
    }

    @Test
    void nulInTheLastChunkIs554AndTheSessionGoesOn() throws IOException {
      String chunk = "Subject: nul\r\n\r\n\0\r\n";
      try (SmtpTestClient c = fixture.connectAndEhlo()) {
        c.send("MAIL FROM:<a@client.test>").expect(250);
        c.send("RCPT TO:<b@local.test>").expect(250);
        c.sendRaw("BDAT " + chunk.length() + " LAST\r\n" + chunk).expect(554, "5.6.0");
        sendGoodMessage(c);
      }
      assertThat(storedClientContent()).isEqualTo("Subject: good\r\n\r\nclean\r\n");
    }

    /**
     * RFC 3030 section 2: after a failed chunk the client sends no more; chunks already pipelined
     * are read and answered with the same failure, and RSET starts afresh.
     */
    @Test
    void nulInAnEarlierChunkFailsTheWholeTransaction() throws IOException {
      String first = "Subject: nul\r\n\r\nx\0y\r\n";
      String last = "more\r\n";
      try (SmtpTestClient c = fixture.connectAndEhlo()) {
        c.send("MAIL FROM:<a@client.test>").expect(250);
        c.send("RCPT TO:<b@local.test>").expect(250);
        c.sendRaw(
            "BDAT " + first.length() + "\r\n" + first + "BDAT " + last.length() + " LAST\r\n"
                + last);
        c.expect(554, "5.6.0");
        c.expect(554, "5.6.0");
        c.send("RSET").expect(250);
        sendGoodMessage(c);
      }
      assertThat(storedClientContent()).isEqualTo("Subject: good\r\n\r\nclean\r\n");
    }

    @Test
    void bareLineEndingsInBdatFailTheTransactionNotTheCommand() throws IOException {
      String chunk = "Subject: lf\r\n\r\nbare\nlf\r\n";
      try (SmtpTestClient c = fixture.connectAndEhlo()) {
        c.send("MAIL FROM:<a@client.test>").expect(250);
        c.send("RCPT TO:<b@local.test>").expect(250);
        assertThat(
                c.sendRaw("BDAT " + chunk.length() + " LAST\r\n" + chunk)
                    .expect(554, "5.6.0")
                    .text())
            .contains("bare CR or LF");
        sendGoodMessage(c);
      }
    }

    @Test
    void longLineInBdatFailsTheTransaction() throws IOException {
      String chunk = "x".repeat(1001) + "\r\n";
      try (SmtpTestClient c = fixture.connectAndEhlo()) {
        c.send("MAIL FROM:<a@client.test>").expect(250);
        c.send("RCPT TO:<b@local.test>").expect(250);
        c.sendRaw("BDAT " + chunk.length() + " LAST\r\n" + chunk).expect(554, "5.6.0");
        sendGoodMessage(c);
      }
    }

    /** Content errors are the message's fault: they do not count towards limits.max-errors. */
    @Test
    void refusedContentIsNoProtocolError() throws IOException {
      fixture.close();
      fixture = new ServerFixture().maxErrors(1).start();
      try (SmtpTestClient c = fixture.connectAndEhlo()) {
        for (int i = 0; i < 3; i++) {
          c.send("MAIL FROM:<a@client.test>").expect(250);
          c.send("RCPT TO:<b@local.test>").expect(250);
          c.send("DATA").expect(354);
          c.sendRaw("x\0\r\n.\r\n").expect(554, "5.6.0");
        }
        sendGoodMessage(c);
      }
    }
  }

  @Nested
  class WithStrip {
    @BeforeEach
    void start() throws IOException {
      fixture = new ServerFixture().nul(NulPolicy.STRIP).start();
    }

    @Test
    void nulOctetsAreRemovedFromData() throws IOException {
      try (SmtpTestClient c = fixture.connectAndEhlo()) {
        c.send("MAIL FROM:<a@client.test>").expect(250);
        c.send("RCPT TO:<b@local.test>").expect(250);
        c.send("DATA").expect(354);
        c.sendRaw("Subject: n\0ul\r\n\r\n\0\0be\0fore\r\n\0.\r\n..x\0\r\n.\r\n")
            .expect(250, "2.0.0");
        c.send("NOOP").expect(250);
      }
      // The line "<NUL>." is content (a lone dot the delivery will stuff again), not an end.
      assertThat(storedClientContent()).isEqualTo("Subject: nul\r\n\r\nbefore\r\n.\r\n.x\r\n");
    }

    @Test
    void nulOctetsAreRemovedFromChunks() throws IOException {
      String first = "Subject: n\0ul\r\n\r\n\0";
      String last = "\0a\0b\0\r\n\0";
      try (SmtpTestClient c = fixture.connectAndEhlo()) {
        c.send("MAIL FROM:<a@client.test>").expect(250);
        c.send("RCPT TO:<b@local.test>").expect(250);
        c.sendRaw("BDAT " + first.length() + "\r\n" + first).expect(250, "2.0.0");
        c.sendRaw("BDAT " + last.length() + " LAST\r\n" + last).expect(250, "2.0.0");
        sendGoodMessage(c);
      }
      assertThat(fixture.spool.messages()).hasSize(2);
      assertThat(
              new String(
                  TraceHeaders.afterReceived(
                      fixture.spool.messages().getFirst().content().toByteArray()),
                  UTF_8))
          .isEqualTo("Subject: nul\r\n\r\nab\r\n");
    }
  }
}
