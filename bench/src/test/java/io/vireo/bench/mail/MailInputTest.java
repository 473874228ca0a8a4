package io.vireo.bench.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MailInputTest {
  /** Hands out one octet per read, so every boundary case of the buffer is crossed. */
  private static InputStream trickle(String text) {
    ByteArrayInputStream bytes = new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1));
    return new InputStream() {
      @Override
      public int read() {
        return bytes.read();
      }

      @Override
      public int read(byte[] b, int off, int len) {
        return bytes.read(b, off, Math.min(len, 1));
      }
    };
  }

  @Test
  void linesLoseTheirLineEndsAndEveryOctetIsCounted() throws Exception {
    MailInput input = new MailInput(trickle("* OK ready\r\nbare\nlast\r\n"));

    assertThat(input.readLine()).isEqualTo("* OK ready");
    assertThat(input.readLine()).isEqualTo("bare");
    assertThat(input.readLine()).isEqualTo("last");
    assertThat(input.octets()).isEqualTo(23);
  }

  @Test
  void aLiteralIsSkippedByItsCountEvenWhenItHoldsLineEnds() throws Exception {
    String body = "Subject: x\r\n\r\nline\r\n";
    MailInput input = new MailInput(trickle("* 1 FETCH (BODY[] {" + body.length() + "}\r\n" + body + ")\r\n"));

    String first = input.readLine();
    assertThat(ImapClient.literalLength(first)).isEqualTo(body.length());
    input.skip(body.length());
    assertThat(input.readLine()).isEqualTo(")");
  }

  @Test
  void aPop3BodyEndsAtTheLoneDotNotAtAStuffedOne() throws Exception {
    String body = "From: a\r\n\r\n..stuffed\r\n.x\r\nend\r\n";
    MailInput input = new MailInput(trickle(body + ".\r\n+OK next\r\n"));

    assertThat(input.skipDotTerminated()).isEqualTo(body.length());
    assertThat(input.readLine()).isEqualTo("+OK next");
  }

  @Test
  void anEmptyPop3BodyIsJustTheDot() throws Exception {
    MailInput input = new MailInput(trickle(".\r\n"));

    assertThat(input.skipDotTerminated()).isZero();
  }

  @Test
  void aServerThatHangsUpMidBodyIsAnError() {
    MailInput input = new MailInput(trickle("partial line\r\n"));

    assertThatThrownBy(input::skipDotTerminated).isInstanceOf(EOFException.class);
  }

  @Test
  void literalAnnouncementsNeedDigitsInBraces() {
    assertThat(ImapClient.literalLength("* 1 FETCH (ENVELOPE (\"a\" {12}")).isEqualTo(12);
    assertThat(ImapClient.literalLength("a3 APPEND INBOX {5+}")).isEqualTo(5);
    assertThat(ImapClient.literalLength("* OK {not a literal}")).isEqualTo(-1);
    assertThat(ImapClient.literalLength("* OK {}")).isEqualTo(-1);
    assertThat(ImapClient.literalLength("* OK done")).isEqualTo(-1);
  }
}
