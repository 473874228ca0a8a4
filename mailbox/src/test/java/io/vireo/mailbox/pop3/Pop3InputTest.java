package io.vireo.mailbox.pop3;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.mailbox.pop3.Pop3Input.Line;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Bounded CRLF lines: an over-long line or a bare line end is refused and skipped, in step. */
class Pop3InputTest {
  private static Pop3Input input(String text) {
    return new Pop3Input(new ByteArrayInputStream(text.getBytes(US_ASCII)), 8);
  }

  private static String text(Line line) {
    return new String(((Line.Text) line).bytes(), US_ASCII);
  }

  @Test
  void readsCrlfLinesAcrossBufferRefills() throws IOException {
    Pop3Input in = input("USER alice\r\nPASS s\r\n");
    assertThat(text(in.readLine(253))).isEqualTo("USER alice");
    assertThat(text(in.readLine(253))).isEqualTo("PASS s");
    assertThat(in.readLine(253)).isInstanceOf(Line.End.class);
  }

  @Test
  void aLineOverTheBoundIsSkippedToItsEnd() throws IOException {
    Pop3Input in = input("x".repeat(300) + "\r\nNOOP\r\n");
    assertThat(in.readLine(253)).isInstanceOf(Line.TooLong.class);
    assertThat(text(in.readLine(253))).isEqualTo("NOOP");
  }

  @Test
  void bareLfAndBareCrAreRefused() throws IOException {
    Pop3Input in = input("STAT\nNO\rOP\r\nQUIT\r\n");
    assertThat(in.readLine(253)).isInstanceOf(Line.BareLineEnd.class);
    assertThat(in.readLine(253)).isInstanceOf(Line.BareLineEnd.class);
    assertThat(text(in.readLine(253))).isEqualTo("QUIT");
  }

  @Test
  void discardingDropsWhatWasPipelined() throws IOException {
    Pop3Input in = new Pop3Input(new ByteArrayInputStream("STLS\r\nUSER x\r\n".getBytes(US_ASCII)), 64);
    assertThat(text(in.readLine(253))).isEqualTo("STLS");
    assertThat(in.hasBufferedInput()).isTrue();
    assertThat(in.discardBuffered()).isEqualTo(8);
    assertThat(in.readLine(253)).isInstanceOf(Line.End.class);
  }
}
