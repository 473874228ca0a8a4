package io.vireo.relay.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.relay.protocol.EnhancedStatus;
import io.vireo.relay.protocol.SmtpReply;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The SMTP client's {@link ReplyReader}: server replies as RFC 5321 section 4.2 writes them (and as
 * real servers bend it), read into the one reply value both sides share, {@link SmtpReply}.
 */
class ReplyReaderTest {

  /** The server's side of a transcript, one reply per line of the array. */
  private static ReplyReader server(String... wire) {
    return new ReplyReader(
        new ByteArrayInputStream(String.join("", wire).getBytes(StandardCharsets.UTF_8)));
  }

  private static SmtpReply read(String wire) throws IOException {
    return server(wire).read();
  }

  @Test
  void singleLineWithEnhancedStatus() throws IOException {
    SmtpReply reply = read("550 5.1.1 No such user\r\n");

    assertThat(reply.code()).isEqualTo(550);
    assertThat(reply.status()).isEqualTo(EnhancedStatus.of(5, 1, 1));
    assertThat(reply.enhancedStatus()).isEqualTo("5.1.1");
    assertThat(reply.lines()).containsExactly("No such user");
    assertThat(reply.text()).isEqualTo("550 5.1.1 No such user");
    assertThat(reply.isPermanent()).isTrue();
    assertThat(reply.isTransient()).isFalse();
    assertThat(reply.isPositive()).isFalse();
  }

  @Test
  void multiLineReplyStripsRepeatedEnhancedStatus() throws IOException {
    SmtpReply reply =
        read("451-4.3.0 Temporary failure\r\n451-4.3.0 please\r\n451 4.3.0 retry\r\n");

    assertThat(reply.code()).isEqualTo(451);
    assertThat(reply.enhancedStatus()).isEqualTo("4.3.0");
    assertThat(reply.lines()).containsExactly("Temporary failure", "please", "retry");
    assertThat(reply.text()).isEqualTo("451 4.3.0 Temporary failure please retry");
    assertThat(reply.isTransient()).isTrue();
  }

  @Test
  void ehloReplyAsRfc5321Section4_3_1ShowsIt() throws IOException {
    // S: 250-foo.com greets bar.com
    // S: 250-8BITMIME
    // S: 250-SIZE
    // S: 250-DSN
    // S: 250 HELP
    SmtpReply reply =
        read("250-foo.com greets bar.com\r\n250-8BITMIME\r\n250-SIZE\r\n250-DSN\r\n250 HELP\r\n");

    assertThat(reply.status()).isNull();
    assertThat(reply.lines())
        .containsExactly("foo.com greets bar.com", "8BITMIME", "SIZE", "DSN", "HELP");
    assertThat(reply.isCompletion()).isTrue();
    assertThat(ServerCapabilities.fromEhlo(reply).dsn()).isTrue();
  }

  @Test
  void aTranscriptOfPipelinedRepliesReadsOneReplyAtATime() throws IOException {
    // RFC 2920 section 3.2's example: the server answers MAIL, two RCPTs and DATA in one write.
    ReplyReader reader =
        server(
            "250 2.1.0 Sender <mary@example.com> ok\r\n",
            "550 5.1.1 No such user here\r\n",
            "250 2.1.5 Recipient <fred@example.com> ok\r\n",
            "354 Enter mail, end with \".\" on a line by itself\r\n");

    assertThat(reader.read().enhancedStatus()).isEqualTo("2.1.0");
    assertThat(reader.buffered()).isPositive();
    assertThat(reader.read().text()).isEqualTo("550 5.1.1 No such user here");
    assertThat(reader.read().isCompletion()).isTrue();
    SmtpReply data = reader.read();
    assertThat(data.code()).isEqualTo(354);
    assertThat(data.isPositive()).isTrue();
    assertThat(data.isCompletion()).isFalse();
    assertThat(reader.buffered()).isZero();
  }

  @Test
  void toleratesServersWithoutEnhancedCodes() throws IOException {
    SmtpReply reply = read("250-mx.example.test\r\n250-PIPELINING\r\n250 8BITMIME\r\n");

    assertThat(reply.enhancedStatus()).isNull();
    assertThat(reply.lines()).containsExactly("mx.example.test", "PIPELINING", "8BITMIME");
    assertThat(reply.isCompletion()).isTrue();
  }

  @Test
  void enhancedStatusOfAnotherClassIsText() throws IOException {
    SmtpReply reply = read("250 5.1.1 odd but said\r\n");

    assertThat(reply.enhancedStatus()).isNull();
    assertThat(reply.lines()).containsExactly("5.1.1 odd but said");
    assertThat(reply.text()).isEqualTo("250 5.1.1 odd but said");
  }

  @Test
  void enhancedStatusMustStandAloneAsAWord() throws IOException {
    assertThat(read("550 5.1.10x no\r\n").enhancedStatus()).isNull();
    assertThat(read("550 5.1.1234 no\r\n").enhancedStatus()).isNull();
    assertThat(read("550 5.1.1\r\n").enhancedStatus()).isEqualTo("5.1.1");
  }

  @Test
  void aLeadingZeroInTheStatusIsReadAsItsNumber() throws IOException {
    // RFC 3463 section 2 allows 1*3digit; the value is kept without the zero, the text without it.
    SmtpReply reply = read("550 5.01.1 No such user\r\n");

    assertThat(reply.enhancedStatus()).isEqualTo("5.1.1");
    assertThat(reply.lines()).containsExactly("No such user");
  }

  @Test
  void bareCodeAndBareLineFeedAreAccepted() throws IOException {
    SmtpReply reply = read("354\n");

    assertThat(reply.code()).isEqualTo(354);
    assertThat(reply.lines()).containsExactly("");
    assertThat(reply.isPositive()).isTrue();
    assertThat(reply.isCompletion()).isFalse();
    assertThat(reply.text()).isEqualTo("354");
  }

  @Test
  void aStrayCarriageReturnInsideALineBecomesASpace() throws IOException {
    // RFC 5321 section 2.3.8 forbids a bare CR; "\r\r\n" comes from servers that convert twice.
    assertThat(read("250-2.0.0 Ok\r\r\n250 2.0.0 a\rb\r\n").lines()).containsExactly("Ok ", "a b");
  }

  @Test
  void theLastLineDecidesTheCodeWhenAServerDisagreesWithItself() throws IOException {
    assertThat(read("250-first\r\n451 second\r\n").code()).isEqualTo(451);
  }

  @Test
  void rejectsMalformedLines() {
    assertThatThrownBy(() -> read("hello there\r\n")).isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> read("25\r\n")).isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> read("250_ok\r\n")).isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> read("2x0 ok\r\n")).isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> read("099 low\r\n")).isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> read("600 high\r\n")).isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> read("250-ok\r\nnot a reply\r\n"))
        .isInstanceOf(ProtocolException.class);
  }

  @Test
  void rejectsOverlongLinesAndEndlessReplies() {
    assertThatThrownBy(() -> read("250 " + "x".repeat(ReplyReader.MAX_LINE) + "\r\n"))
        .isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> read("250-more\r\n".repeat(ReplyReader.MAX_LINES + 1)))
        .isInstanceOf(ProtocolException.class);
  }

  @Test
  void endOfStreamMidReplyIsAnEof() {
    assertThatThrownBy(() -> read("250-first\r\n250 sec")).isInstanceOf(EOFException.class);
    assertThatThrownBy(() -> read("")).isInstanceOf(EOFException.class);
  }

  @Test
  void whatTheServerSideRendersReadsBackAsTheSameReply() throws IOException {
    SmtpReply sent =
        new SmtpReply(452, EnhancedStatus.of(4, 5, 3), List.of("Too many recipients", "try later"));

    assertThat(read(sent.render())).isEqualTo(sent);
  }

  @Test
  void localRepliesRenderTheSameWay() {
    assertThat(SmtpReply.of(552, "5.3.4", "Message too big").text())
        .isEqualTo("552 5.3.4 Message too big");
    assertThat(SmtpReply.of(421, "closing").text()).isEqualTo("421 closing");
    assertThatThrownBy(() -> SmtpReply.of(600, "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SmtpReply.of(550, "4.0.0", "x"))
        .isInstanceOf(IllegalArgumentException.class);
    // An exception's message may span lines; the reply stays one line.
    assertThat(SmtpReply.of(451, "4.4.2", "read failed:\nreset").lines())
        .containsExactly("read failed: reset");
  }
}
