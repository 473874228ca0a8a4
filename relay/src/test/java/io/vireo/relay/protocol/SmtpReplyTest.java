package io.vireo.relay.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SmtpReplyTest {

  @Test
  void singleLineWithEnhancedStatus() {
    assertThat(Replies.RELAY_DENIED.render()).isEqualTo("554 5.7.1 Relay access denied\r\n");
  }

  @Test
  void singleLineWithoutEnhancedStatus() {
    assertThat(Replies.greeting("mx.example").render()).isEqualTo("220 mx.example ESMTP Vireo\r\n");
  }

  @Test
  void multiLineUsesHyphensOnAllButTheLastLine() {
    SmtpReply ehlo = Replies.ehlo("mx.example", List.of("PIPELINING", "SIZE 1000"));
    assertThat(ehlo.render()).isEqualTo("250-mx.example\r\n250-PIPELINING\r\n250 SIZE 1000\r\n");
  }

  @Test
  void multiLineRepeatsTheEnhancedStatusOnEveryLine() {
    assertThat(Replies.HELP.render())
        .isEqualTo(
            "214-2.0.0 Commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT HELP VRFY\r\n"
                + "214 2.0.0 See RFC 5321 for the protocol\r\n");
  }

  @Test
  void textCannotSmuggleALineBreak() {
    assertThatThrownBy(() -> SmtpReply.of(250, "ok\r\n250 forged"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void enhancedStatusClassMustMatchTheCode() {
    assertThatThrownBy(() -> SmtpReply.of(550, EnhancedStatus.of(4, 0, 0), "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void namedRepliesCarryTheirRfcCodes() {
    assertThat(Replies.queued("ID").render()).isEqualTo("250 2.0.0 Ok: queued as ID\r\n");
    assertThat(Replies.timeout("mx").render())
        .isEqualTo("421 4.4.2 mx Timeout, closing connection\r\n");
    assertThat(Replies.TOO_MANY_CONNECTIONS.render())
        .isEqualTo("421 4.3.2 Too many connections, try again later\r\n");
    assertThat(Replies.MESSAGE_TOO_BIG.code()).isEqualTo(552);
    assertThat(Replies.MESSAGE_TOO_BIG.status()).hasToString("5.3.4");
    assertThat(Replies.CANNOT_VRFY.render())
        .isEqualTo("252 2.5.0 Cannot VRFY user, but will accept message and attempt delivery\r\n");
  }
}
