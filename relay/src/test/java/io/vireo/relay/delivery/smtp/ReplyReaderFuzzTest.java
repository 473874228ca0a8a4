package io.vireo.relay.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vireo.relay.protocol.EnhancedStatus;
import io.vireo.relay.protocol.SmtpReply;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes the SMTP client's {@link ReplyReader}. Whatever a server sends, reading replies ends in a
 * reply or an {@link IOException} (a protocol error or the end of the stream), never anything else;
 * every reply has a code from 100 to 599 and at most {@link ReplyReader#MAX_LINES} lines. And any
 * reply the server side renders ({@link SmtpReply#render()}) reads back with its code, enhanced
 * status and text: one reply value on both sides of the wire. Seeds and past findings: {@code
 * ReplyReaderFuzzTestInputs/anyServer} and {@code .../renderedReply}.
 */
class ReplyReaderFuzzTest {

  @FuzzTest(maxDuration = "2m")
  void anyServer(FuzzedDataProvider data) {
    int readSize = data.consumeInt(1, 5000);
    byte[] bytes = data.consumeRemainingAsBytes();
    ReplyReader reader = new ReplyReader(new Chunked(bytes, readSize));
    // Each reply consumes at least one octet, so this bounds the loop.
    for (int i = 0; i <= bytes.length; i++) {
      SmtpResponse response;
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

  @FuzzTest(maxDuration = "2m")
  void renderedReply(FuzzedDataProvider data) throws IOException {
    int code = data.consumeInt(200, 599);
    // Enhanced status codes exist for classes 2, 4 and 5 only (RFC 3463 section 3.1).
    EnhancedStatus status =
        data.consumeBoolean() && code / 100 != 3
            ? EnhancedStatus.of(code / 100, data.consumeInt(0, 999), data.consumeInt(0, 999))
            : null;
    List<String> lines = new ArrayList<>();
    int count = data.consumeInt(1, 8);
    for (int i = 0; i < count; i++) {
      lines.add(printable(data.consumeString(300)));
    }
    SmtpReply reply = new SmtpReply(code, status, lines);

    SmtpResponse read = new ReplyReader(new ByteArrayInputStream(reply.toBytes())).read();
    assertThat(read.code()).isEqualTo(code);
    assertThat(read.lines()).hasSameSizeAs(lines);
    if (status != null) {
      assertThat(read.enhancedStatus()).isEqualTo(status.toString());
      for (int i = 0; i < lines.size(); i++) {
        assertThat(read.lines().get(i)).isEqualTo(lines.get(i).stripLeading());
      }
    } else if (read.enhancedStatus() == null) {
      assertThat(read.lines()).isEqualTo(lines);
    }
  }

  /** Reply text as a server sends it: printable ASCII and UTF-8, no CR or LF. */
  private static String printable(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints()
        .filter(c -> c >= ' ' && c != 127 && (c < 0xd800 || c > 0xdfff))
        .forEach(out::appendCodePoint);
    return out.toString();
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
