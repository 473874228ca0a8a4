package io.vireo.relay.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vireo.relay.protocol.SmtpReply;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;

/**
 * Fuzzes the SMTP client's {@link ReplyReader}. Whatever a server sends, reading replies ends in a
 * reply or an {@link IOException} (a protocol error or the end of the stream), never anything else;
 * every reply has a code from 100 to 599 and at most {@link ReplyReader#MAX_LINES} lines. Seeds and
 * past findings: {@code ReplyReaderFuzzTestInputs/anyServer}.
 */
class ReplyReaderFuzzTest {

  @FuzzTest(maxDuration = "2m")
  void anyServer(FuzzedDataProvider data) {
    int readSize = data.consumeInt(1, 5000);
    byte[] bytes = data.consumeRemainingAsBytes();
    ReplyReader reader = new ReplyReader(new Chunked(bytes, readSize));
    // Each reply consumes at least one octet, so this bounds the loop.
    for (int i = 0; i <= bytes.length; i++) {
      SmtpReply response;
      try {
        response = reader.read();
      } catch (ProtocolException | EOFException e) {
        return;
      } catch (IOException e) {
        throw new AssertionError("unexpected I/O failure reading from memory", e);
      }
      assertThat(response.code()).isBetween(100, 599);
      assertThat(response.lines()).isNotEmpty().hasSizeLessThanOrEqualTo(ReplyReader.MAX_LINES);
      assertThat(reader.buffered()).isNotNegative();
    }
    throw new AssertionError("more replies than octets");
  }

  /** A server's octets at most {@code readSize} per read. */
  private static final class Chunked extends InputStream {
    private final byte[] bytes;
    private final int readSize;
    private int position;

    Chunked(byte[] bytes, int readSize) {
      this.bytes = bytes;
      this.readSize = readSize;
    }

    @Override
    public int read() {
      return position < bytes.length ? bytes[position++] & 0xff : -1;
    }

    @Override
    public int read(byte[] into, int offset, int length) {
      if (position >= bytes.length) {
        return -1;
      }
      int n = Math.min(Math.min(length, readSize), bytes.length - position);
      System.arraycopy(bytes, position, into, offset, n);
      position += n;
      return n;
    }
  }
}
