package io.vireo.relay.protocol;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DataReaderTest {
  private static final long NO_LIMIT = Long.MAX_VALUE;

  private final ByteArrayOutputStream received = new ByteArrayOutputStream();
  private SmtpInput input;

  private ContentOutcome read(String wire, long maxSize, int bufferSize) throws IOException {
    input =
        new SmtpInput(new ByteArrayInputStream(wire.getBytes(ISO_8859_1)), bufferSize, () -> {});
    return new DataReader(received::write, maxSize).read(input);
  }

  private ContentOutcome read(String wire) throws IOException {
    return read(wire, NO_LIMIT, 64);
  }

  private String content() {
    return received.toString(ISO_8859_1);
  }

  /**
   * What the session would read next: proves the reader stopped exactly at the real end of data.
   */
  private String nextCommand() throws IOException {
    CommandLine line = input.readCommandLine();
    return line instanceof CommandLine.Line(byte[] bytes)
        ? new String(bytes, ISO_8859_1)
        : line.toString();
  }

  @Test
  void endsAtCrlfDotCrlfAndLeavesPipelinedCommandsUnread() throws IOException {
    ContentOutcome outcome = read("Subject: hi\r\n\r\nbody\r\n.\r\nQUIT\r\n");
    assertThat(outcome).isEqualTo(new ContentOutcome.Received(21));
    assertThat(content()).isEqualTo("Subject: hi\r\n\r\nbody\r\n");
    assertThat(nextCommand()).isEqualTo("QUIT");
  }

  @Test
  void emptyMessage() throws IOException {
    assertThat(read(".\r\nQUIT\r\n")).isEqualTo(new ContentOutcome.Received(0));
    assertThat(content()).isEmpty();
    assertThat(nextCommand()).isEqualTo("QUIT");
  }

  @Test
  void dotUnstuffing() throws IOException {
    read("..leading dot\r\n...two dots\r\n.x single dot dropped\r\n..\r\n.\r\n");
    assertThat(content()).isEqualTo(".leading dot\r\n..two dots\r\nx single dot dropped\r\n.\r\n");
  }

  @Test
  void dotInsideALineIsContent() throws IOException {
    read("a.b\r\n a .\r\n.\r\n");
    assertThat(content()).isEqualTo("a.b\r\n a .\r\n");
  }

  /**
   * SMTP smuggling: each variant must neither end DATA nor let the following text run as commands.
   * The message is refused (it contains a bare CR or LF) after reading to the real end of data.
   */
  @ParameterizedTest
  @ValueSource(strings = {"\n.\n", "\r.\r\n", "\n.\r\n", "\r\n.\n", "\r.\r", "\n.\r"})
  void smugglingVariantsDoNotEndData(String fakeEnd) throws IOException {
    String wire =
        "Subject: real\r\n\r\nhello"
            + fakeEnd
            + "MAIL FROM:<forged@evil.example>\r\nRCPT TO:<victim@example.com>\r\nDATA\r\n"
            + "Subject: smuggled\r\n\r\n.\r\nNOOP\r\n";
    ContentOutcome outcome = read(wire);
    assertThat(outcome).isEqualTo(new ContentOutcome.Rejected(Replies.CONTENT_BARE_LINE_ENDING));
    assertThat(nextCommand()).isEqualTo("NOOP");
  }

  @Test
  void bareLfAloneIsRefused() throws IOException {
    assertThat(read("line one\nline two\r\n.\r\n"))
        .isEqualTo(new ContentOutcome.Rejected(Replies.CONTENT_BARE_LINE_ENDING));
  }

  @Test
  void bareCrAloneIsRefused() throws IOException {
    assertThat(read("line one\rline two\r\n.\r\n"))
        .isEqualTo(new ContentOutcome.Rejected(Replies.CONTENT_BARE_LINE_ENDING));
  }

  @Test
  void lineOf1000OctetsIncludingCrlfIsAccepted() throws IOException {
    String line = "x".repeat(998);
    assertThat(read(line + "\r\n.\r\n")).isEqualTo(new ContentOutcome.Received(1000));
  }

  @Test
  void transparencyDotDoesNotCountTowardsTheLineLimit() throws IOException {
    String line = "." + "x".repeat(997);
    assertThat(read("." + line + "\r\n.\r\n")).isEqualTo(new ContentOutcome.Received(1000));
    assertThat(content()).isEqualTo(line + "\r\n");
  }

  @Test
  void lineOf1001OctetsIsRefusedAfterReadingToTheEnd() throws IOException {
    String line = "x".repeat(999);
    ContentOutcome outcome = read("ok\r\n" + line + "\r\nmore\r\n.\r\nQUIT\r\n");
    assertThat(outcome).isEqualTo(new ContentOutcome.Rejected(Replies.CONTENT_LINE_TOO_LONG));
    assertThat(nextCommand()).isEqualTo("QUIT");
  }

  @Test
  void exactlyMaxSizeIsAccepted() throws IOException {
    assertThat(read("12345678\r\n.\r\n", 10, 64)).isEqualTo(new ContentOutcome.Received(10));
  }

  @Test
  void sizeExceededIsRefusedAfterReadingToTheEnd() throws IOException {
    String wire = "123456789\r\n" + "y".repeat(500) + "\r\n.\r\nQUIT\r\n";
    assertThat(read(wire, 10, 64)).isEqualTo(new ContentOutcome.Rejected(Replies.MESSAGE_TOO_BIG));
    assertThat(received.size()).isLessThanOrEqualTo(10);
    assertThat(nextCommand()).isEqualTo("QUIT");
  }

  @Test
  void firstFailureWins() throws IOException {
    assertThat(read("a\nb" + "x".repeat(2000) + "\r\n.\r\n"))
        .isEqualTo(new ContentOutcome.Rejected(Replies.CONTENT_BARE_LINE_ENDING));
  }

  @Test
  void endOfInputBeforeTheEndOfData() throws IOException {
    assertThat(read("Subject: cut\r\n")).isInstanceOf(ContentOutcome.Disconnected.class);
  }

  @Test
  void eightBitOctetsPassThroughUnchanged() throws IOException {
    String body = "caf\u00e9 \u0001 \u00ff\r\n";
    read(body + ".\r\n");
    assertThat(content()).isEqualTo(body);
  }

  @Test
  void randomMessagesSurviveStuffingAcrossBufferBoundaries() throws IOException {
    Random random = new Random(5321);
    for (int round = 0; round < 200; round++) {
      StringBuilder message = new StringBuilder();
      int lines = random.nextInt(40);
      for (int i = 0; i < lines; i++) {
        int length = random.nextInt(120);
        StringBuilder line = new StringBuilder();
        for (int j = 0; j < length; j++) {
          line.append(random.nextInt(5) == 0 ? '.' : (char) (' ' + random.nextInt(95)));
        }
        message.append(line).append("\r\n");
      }
      String original = message.toString();
      // RFC 5321 section 4.5.2: the sender doubles every leading dot.
      String stuffed = original.replaceAll("(?m)^\\.", "..");
      received.reset();
      ContentOutcome outcome = read(stuffed + ".\r\nNOOP\r\n", NO_LIMIT, 64 + random.nextInt(64));
      assertThat(outcome).isEqualTo(new ContentOutcome.Received(original.length()));
      assertThat(content()).isEqualTo(original);
      assertThat(nextCommand()).isEqualTo("NOOP");
    }
  }

  @Test
  void nulIsRefusedInTheFastPathAndTheRestIsStillRead() throws IOException {
    String line = "y".repeat(200) + "\0" + "z".repeat(200) + "\r\n";
    ContentOutcome outcome = read(line + ".\r\nNOOP\r\n");
    assertThat(outcome).isEqualTo(new ContentOutcome.Rejected(Replies.CONTENT_NUL));
    assertThat(nextCommand()).isEqualTo("NOOP");
  }

  @Test
  void strippedNulCountsForNeitherSizeNorLineLength() throws IOException {
    input =
        new SmtpInput(
            new ByteArrayInputStream(
                ("\0".repeat(50) + "x".repeat(998) + "\0\r\n.\r\n").getBytes(ISO_8859_1)),
            64,
            () -> {});
    ContentOutcome outcome = new DataReader(received::write, 1000, NulOctets.STRIP).read(input);
    assertThat(outcome).isEqualTo(new ContentOutcome.Received(1000));
    assertThat(content()).isEqualTo("x".repeat(998) + "\r\n");
  }
}
