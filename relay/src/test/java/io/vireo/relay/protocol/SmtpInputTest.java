package io.vireo.relay.protocol;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SmtpInputTest {

  private static SmtpInput input(String wire) {
    return new SmtpInput(new ByteArrayInputStream(wire.getBytes(ISO_8859_1)), 64, () -> {});
  }

  private static String line(CommandLine read) {
    assertThat(read).isInstanceOf(CommandLine.Line.class);
    return new String(((CommandLine.Line) read).bytes(), ISO_8859_1);
  }

  @Test
  void readsCrlfTerminatedLines() throws IOException {
    SmtpInput in = input("EHLO a\r\nQUIT\r\n");
    assertThat(line(in.readCommandLine())).isEqualTo("EHLO a");
    assertThat(line(in.readCommandLine())).isEqualTo("QUIT");
    assertThat(in.readCommandLine()).isInstanceOf(CommandLine.EndOfInput.class);
  }

  @Test
  void bareLfIsRefusedAndTheNextLineIsReadNormally() throws IOException {
    SmtpInput in = input("NOOP\nRSET\r\n");
    assertThat(in.readCommandLine()).isEqualTo(new CommandLine.Malformed(Replies.BARE_LINE_ENDING));
    assertThat(line(in.readCommandLine())).isEqualTo("RSET");
  }

  @Test
  void bareCrInsideALineIsRefusedForTheWholeLine() throws IOException {
    SmtpInput in = input("NOOP\rQUIT\r\nRSET\r\n");
    assertThat(in.readCommandLine()).isEqualTo(new CommandLine.Malformed(Replies.BARE_LINE_ENDING));
    assertThat(line(in.readCommandLine())).isEqualTo("RSET");
  }

  @Test
  void crCrLfIsABareCr() throws IOException {
    SmtpInput in = input("NOOP\r\r\nQUIT\r\n");
    assertThat(in.readCommandLine()).isEqualTo(new CommandLine.Malformed(Replies.BARE_LINE_ENDING));
    assertThat(line(in.readCommandLine())).isEqualTo("QUIT");
  }

  @Test
  void lineOf512OctetsIncludingCrlfIsAccepted() throws IOException {
    String text = "NOOP " + "x".repeat(SmtpInput.MAX_COMMAND_LINE - 2 - 5);
    SmtpInput in = input(text + "\r\n");
    assertThat(line(in.readCommandLine())).isEqualTo(text).hasSize(510);
  }

  @Test
  void lineOf513OctetsIsTooLongAndDiscardedToItsEnd() throws IOException {
    String text = "NOOP " + "x".repeat(SmtpInput.MAX_COMMAND_LINE - 2 - 5 + 1);
    SmtpInput in = input(text + "\r\nQUIT\r\n");
    assertThat(in.readCommandLine()).isEqualTo(new CommandLine.Malformed(Replies.LINE_TOO_LONG));
    assertThat(line(in.readCommandLine())).isEqualTo("QUIT");
  }

  @Test
  void tenKilobyteLineIsDiscardedWithoutBuffering() throws IOException {
    SmtpInput in = input("MAIL FROM:<" + "a".repeat(10_000) + "@b>\r\nQUIT\r\n");
    assertThat(in.readCommandLine()).isEqualTo(new CommandLine.Malformed(Replies.LINE_TOO_LONG));
    assertThat(line(in.readCommandLine())).isEqualTo("QUIT");
  }

  @Test
  void partialLastLineIsEndOfInput() throws IOException {
    SmtpInput in = input("QUI");
    assertThat(in.readCommandLine()).isInstanceOf(CommandLine.EndOfInput.class);
  }

  @Test
  void discardSkipsExactlyTheGivenOctets() throws IOException {
    SmtpInput in = input("0123456789" + "x".repeat(100) + "QUIT\r\n");
    assertThat(in.discard(110)).isTrue();
    assertThat(line(in.readCommandLine())).isEqualTo("QUIT");
    assertThat(in.discard(1)).isFalse();
  }

  @Test
  void hookRunsBeforeEachReadFromTheStreamAndNotForBufferedLines() throws IOException {
    AtomicInteger hookRuns = new AtomicInteger();
    SmtpInput in =
        new SmtpInput(
            new ByteArrayInputStream("NOOP\r\nNOOP\r\n".getBytes(ISO_8859_1)),
            64,
            hookRuns::incrementAndGet);
    in.readCommandLine();
    assertThat(hookRuns).hasValue(1);
    in.readCommandLine(); // served from the buffer: no read, no hook
    assertThat(hookRuns).hasValue(1);
    assertThat(in.hasInput()).isFalse();
  }

  @Test
  void hookRunsEvenWhenMoreInputIsAlreadyOnTheWire() throws IOException {
    AtomicInteger hookRuns = new AtomicInteger();
    // 90 octets through a 64-octet buffer: two reads, the second with the client's bytes waiting.
    String lines = "NOOP " + "x".repeat(50) + "\r\n" + "NOOP " + "y".repeat(26) + "\r\n";
    SmtpInput in =
        new SmtpInput(
            new ByteArrayInputStream(lines.getBytes(ISO_8859_1)), 64, hookRuns::incrementAndGet);
    assertThat(line(in.readCommandLine())).startsWith("NOOP x");
    assertThat(line(in.readCommandLine())).startsWith("NOOP y");
    assertThat(hookRuns).hasValue(2);
  }

  @Test
  void bufferedInputIsKnownWithoutReadingTheStream() throws IOException {
    SmtpInput in = input("NOOP\r\nQUIT\r\n");
    assertThat(in.hasBufferedInput()).isFalse(); // nothing read yet
    in.readCommandLine();
    assertThat(in.hasBufferedInput()).isTrue(); // QUIT came in the same read
    in.readCommandLine();
    assertThat(in.hasBufferedInput()).isFalse();
  }
}
