package io.vireo.mailbox.pop3;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** RETR and TOP bodies (RFC 1939 sections 3 and 7): CRLF, dot-stuffing, the terminator, TOP's cut. */
class MessageWriterTest {
  private static String write(String message, int bodyLines) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    MessageWriter.write(new ByteArrayInputStream(message.getBytes(US_ASCII)), out, bodyLines);
    return out.toString(US_ASCII);
  }

  @Test
  void linesStartingWithADotGetOneMoreAndTheResponseEndsWithADotLine() throws IOException {
    assertThat(write("Subject: x\r\n\r\n.\r\n..two\r\nend\r\n", -1))
        .isEqualTo("Subject: x\r\n\r\n..\r\n...two\r\nend\r\n.\r\n");
  }

  @Test
  void bareLfLineEndsAreSentAsCrlfAndALastLineGetsItsLineEnd() throws IOException {
    assertThat(write("A: b\n\nbody\n.hidden", -1)).isEqualTo("A: b\r\n\r\nbody\r\n..hidden\r\n.\r\n");
  }

  @Test
  void aCrInsideALineStaysAndCannotFakeTheTerminator() throws IOException {
    assertThat(write("A: b\r\n\r\nx\r.\r\n", -1)).isEqualTo("A: b\r\n\r\nx\r.\r\n.\r\n");
  }

  @Test
  void topSendsTheHeaderTheBlankLineAndTheFirstBodyLines() throws IOException {
    String message = "From: a\r\nSubject: s\r\n\r\none\r\n.two\r\nthree\r\n";
    assertThat(write(message, 0)).isEqualTo("From: a\r\nSubject: s\r\n\r\n.\r\n");
    assertThat(write(message, 2)).isEqualTo("From: a\r\nSubject: s\r\n\r\none\r\n..two\r\n.\r\n");
    assertThat(write(message, 10)).isEqualTo(message.replace(".two", "..two") + ".\r\n");
  }

  @Test
  void anEmptyMessageIsJustTheTerminator() throws IOException {
    assertThat(write("", -1)).isEqualTo(".\r\n");
  }

  @Test
  void aLargeMessageStreamsThroughWhole() throws IOException {
    String line = "x".repeat(990) + "\r\n";
    String message = "S: big\r\n\r\n" + line.repeat(200);
    assertThat(write(message, -1)).isEqualTo(message + ".\r\n");
  }
}
