package io.vireo.mailbox.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CrlfInputStreamTest {

  /** The conversion written the obvious way: every LF not after a CR gets one. */
  private static byte[] expected(byte[] in) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int previous = -1;
    for (byte b : in) {
      if (b == '\n' && previous != '\r') {
        out.write('\r');
      }
      out.write(b);
      previous = b;
    }
    return out.toByteArray();
  }

  /** Hands out at most {@code step} octets per read, so chunks end anywhere (inside CRLF too). */
  private static InputStream trickle(byte[] bytes, int step) {
    return new ByteArrayInputStream(bytes) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, step));
      }
    };
  }

  @Test
  void everyBareLfBecomesCrlfWhateverTheReadSizes() throws IOException {
    Random random = new Random(20261202);
    byte[] alphabet = {'a', 'b', '\r', '\n', '\n', '.', (byte) 0xe9};
    for (int round = 0; round < 300; round++) {
      byte[] content = new byte[random.nextInt(40_000)];
      for (int i = 0; i < content.length; i++) {
        content[i] = alphabet[random.nextInt(alphabet.length)];
      }
      int step = 1 + random.nextInt(20_000);
      int readSize = 1 + random.nextInt(9_000);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (InputStream in = new CrlfInputStream(trickle(content, step))) {
        byte[] buffer = new byte[readSize];
        for (int n; (n = in.read(buffer, 0, buffer.length)) >= 0; ) {
          assertThat(n).isPositive();
          out.write(buffer, 0, n);
        }
      }
      assertThat(out.toByteArray()).isEqualTo(expected(content));
    }
  }

  @Test
  void singleOctetReadsAndSkipsAgreeWithTheBulkConversion() throws IOException {
    byte[] content = "one\ntwo\r\nthree\n\n.\nlast".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] converted = expected(content);
    try (InputStream in = new CrlfInputStream(trickle(content, 3))) {
      assertThat(in.skip(4)).isEqualTo(4); // "one\r"
      assertThat(in.read()).isEqualTo('\n');
      assertThat(in.readAllBytes())
          .isEqualTo(java.util.Arrays.copyOfRange(converted, 5, converted.length));
    }
  }
}
