package io.vireo.bench.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SmtpInputTest {

  private static SmtpInput input(String wire, int bufferSize) {
    return new SmtpInput(
        new ByteArrayInputStream(wire.getBytes(StandardCharsets.US_ASCII)), bufferSize, () -> {});
  }

  /** Buffer sizes from 1 byte up make every state of the decoder straddle a refill. */
  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 5, 7, 64})
  void dotStuffedDataIsUnstuffedWhereverTheBufferBoundariesFall(int bufferSize) throws Exception {
    String wire = "..lead\r\nmid.dot\r\n..\r\n.\rx\r\nbare\n.line\r\n\r\n.\r\nNOOP\r\n";
    SmtpInput input = input(wire, bufferSize);
    ByteArrayOutputStream content = new ByteArrayOutputStream();

    long count = input.readDotStuffed(content);

    String expected = ".lead\r\nmid.dot\r\n.\r\n\rx\r\nbare\n.line\r\n\r\n";
    assertThat(content.toString(StandardCharsets.US_ASCII)).isEqualTo(expected);
    assertThat(count).isEqualTo(expected.length());
    byte[] line = new byte[64];
    int length = input.readLine(line);
    assertThat(new String(line, 0, length, StandardCharsets.US_ASCII)).isEqualTo("NOOP");
  }

  @Test
  void anImmediateTerminatorIsAnEmptyMessage() throws Exception {
    assertThat(input(".\r\n", 16).readDotStuffed(null)).isZero();
  }

  @Test
  void endOfStreamInsideDataIsAnError() {
    assertThatThrownBy(() -> input("abc\r\n", 16).readDotStuffed(null))
        .isInstanceOf(EOFException.class);
  }

  @Test
  void linesAreBoundedAndMustEndWithCrlf() throws Exception {
    SmtpInput input = input("x".repeat(40) + "\r\nNOOP\nQUIT\r\n", 8);
    byte[] line = new byte[16];
    assertThat(input.readLine(line)).isEqualTo(SmtpInput.LINE_TOO_LONG);
    assertThat(input.readLine(line)).isEqualTo(SmtpInput.BARE_LF);
    assertThat(input.readLine(line)).isEqualTo(4);
    assertThat(input.readLine(line)).isEqualTo(SmtpInput.END_OF_STREAM);
  }

  @Test
  void flushesBeforeEveryReadThatMayBlock() throws Exception {
    AtomicInteger flushes = new AtomicInteger();
    SmtpInput input =
        new SmtpInput(
            new ByteArrayInputStream("A\r\nB\r\n".getBytes(StandardCharsets.US_ASCII)),
            64,
            flushes::incrementAndGet);
    byte[] line = new byte[8];
    input.readLine(line);
    input.readLine(line);
    assertThat(flushes).hasValue(1); // both lines came from one read: one batch, one flush
    input.readLine(line);
    assertThat(flushes).hasValue(2);
  }

  @Test
  void bdatChunksAreReadExactly() throws Exception {
    SmtpInput input = input("hello\r\nQUIT\r\n", 3);
    ByteArrayOutputStream chunk = new ByteArrayOutputStream();
    input.readChunk(7, chunk);
    assertThat(chunk.toString(StandardCharsets.US_ASCII)).isEqualTo("hello\r\n");
    byte[] line = new byte[8];
    assertThat(input.readLine(line)).isEqualTo(4);
  }
}
