package io.vireo.relay.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SmtpResponseTest {

  private static SmtpResponse parse(String wire) throws IOException {
    return new ReplyReader(new ByteArrayInputStream(wire.getBytes(StandardCharsets.UTF_8))).read();
  }

  @Test
  void singleLineWithEnhancedStatus() throws IOException {
    SmtpResponse reply = parse("550 5.1.1 No such user\r\n");

    assertThat(reply.code()).isEqualTo(550);
    assertThat(reply.enhancedStatus()).isEqualTo("5.1.1");
    assertThat(reply.lines()).containsExactly("No such user");
    assertThat(reply.text()).isEqualTo("550 5.1.1 No such user");
    assertThat(reply.isPermanent()).isTrue();
    assertThat(reply.isTransient()).isFalse();
    assertThat(reply.isPositive()).isFalse();
  }

  @Test
  void multiLineReplyStripsRepeatedEnhancedStatus() throws IOException {
    SmtpResponse reply =
        parse("451-4.3.0 Temporary failure\r\n451-4.3.0 please\r\n451 4.3.0 retry\r\n");

    assertThat(reply.code()).isEqualTo(451);
    assertThat(reply.enhancedStatus()).isEqualTo("4.3.0");
    assertThat(reply.lines()).containsExactly("Temporary failure", "please", "retry");
    assertThat(reply.text()).isEqualTo("451 4.3.0 Temporary failure please retry");
    assertThat(reply.isTransient()).isTrue();
  }

  @Test
  void toleratesServersWithoutEnhancedCodes() throws IOException {
    SmtpResponse reply = parse("250-mx.example.test\r\n250-PIPELINING\r\n250 8BITMIME\r\n");

    assertThat(reply.enhancedStatus()).isNull();
    assertThat(reply.lines()).containsExactly("mx.example.test", "PIPELINING", "8BITMIME");
    assertThat(reply.isCompletion()).isTrue();
  }

  @Test
  void enhancedStatusOfAnotherClassIsText() throws IOException {
    SmtpResponse reply = parse("250 5.1.1 odd but said\r\n");

    assertThat(reply.enhancedStatus()).isNull();
    assertThat(reply.text()).isEqualTo("250 5.1.1 odd but said");
  }

  @Test
  void bareCodeAndBareLineFeedAreAccepted() throws IOException {
    SmtpResponse reply = parse("354\n");

    assertThat(reply.code()).isEqualTo(354);
    assertThat(reply.lines()).containsExactly("");
    assertThat(reply.isPositive()).isTrue();
    assertThat(reply.isCompletion()).isFalse();
    assertThat(reply.text()).isEqualTo("354");
  }

  @Test
  void readsConsecutiveRepliesFromOneBuffer() throws IOException {
    ReplyReader reader =
        new ReplyReader(
            new ByteArrayInputStream(
                "250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n354 go\r\n".getBytes(StandardCharsets.US_ASCII)));

    assertThat(reader.read().enhancedStatus()).isEqualTo("2.1.0");
    assertThat(reader.buffered()).isPositive();
    assertThat(reader.read().enhancedStatus()).isEqualTo("2.1.5");
    assertThat(reader.read().code()).isEqualTo(354);
    assertThat(reader.buffered()).isZero();
  }

  @Test
  void rejectsGarbage() {
    assertThatThrownBy(() -> parse("hello there\r\n")).isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> parse("25\r\n")).isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> parse("250_ok\r\n")).isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> parse("099 low\r\n")).isInstanceOf(ProtocolException.class);
  }

  @Test
  void rejectsOverlongLinesAndEndlessReplies() {
    assertThatThrownBy(() -> parse("250 " + "x".repeat(ReplyReader.MAX_LINE) + "\r\n"))
        .isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> parse("250-more\r\n".repeat(ReplyReader.MAX_LINES + 1)))
        .isInstanceOf(ProtocolException.class);
  }

  @Test
  void endOfStreamMidReplyIsAnEof() {
    assertThatThrownBy(() -> parse("250-first\r\n250 sec")).isInstanceOf(EOFException.class);
  }

  @Test
  void localRepliesRenderTheSameWay() {
    assertThat(SmtpResponse.of(552, "5.3.4", "Message too big").text())
        .isEqualTo("552 5.3.4 Message too big");
    assertThat(SmtpResponse.of(421, null, "closing").text()).isEqualTo("421 closing");
    assertThatThrownBy(() -> SmtpResponse.of(600, null, "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
