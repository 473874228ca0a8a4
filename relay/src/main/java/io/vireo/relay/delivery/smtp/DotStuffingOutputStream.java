package io.vireo.relay.delivery.smtp;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * Encodes message content for the DATA command: doubles a {@code .} that starts a line (RFC 5321
 * section 4.5.2), turns any bare CR or bare LF into CRLF so that only CRLF line endings ever reach
 * the wire (RFC 5321 section 2.3.8; a bare LF is how SMTP smuggling starts), and {@link #finish()
 * ends} with the {@code CRLF.CRLF} terminator. The spooled content is already CRLF, so normally the
 * only change is the stuffing.
 */
final class DotStuffingOutputStream extends OutputStream {
  private static final int SLICE = 4096;

  private final OutputStream out;
  // One input byte becomes at most four output bytes (a pending CR's CRLF, then ".." at a line start).
  private final byte[] encoded = new byte[8];
  private final byte[] single = new byte[1];
  private byte[] copy; // only for read-only buffers, allocated on first use
  private boolean atLineStart = true;
  private boolean pendingCr;
  private boolean finished;

  DotStuffingOutputStream(OutputStream out) {
    this.out = out;
  }

  @Override
  public void write(int b) throws IOException {
    single[0] = (byte) b;
    write(single, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
    requireOpen();
    int end = offset + length;
    int i = offset;
    while (i < end) {
      byte first = bytes[i];
      if (pendingCr || first == '\r' || first == '\n' || (atLineStart && first == '.')) {
        int n = encode(first, 0);
        if (n > 0) {
          out.write(encoded, 0, n);
        }
        i++;
        continue;
      }
      // Fast path: pass through a run of ordinary octets and well-formed CRLFs whose next line
      // does not start with a dot, unchanged and uncopied. Everything else takes encode() above.
      int runStart = i;
      while (i < end) {
        byte b = bytes[i];
        if (b == '\n') {
          break;
        }
        if (b == '\r') {
          if (i + 2 < end && bytes[i + 1] == '\n' && bytes[i + 2] != '.') {
            i += 2;
            continue;
          }
          break;
        }
        i++;
      }
      out.write(bytes, runStart, i - runStart);
      atLineStart = bytes[i - 1] == '\n';
    }
  }

  /** Writes the remaining bytes of {@code source}, advancing its position. */
  void write(ByteBuffer source) throws IOException {
    requireOpen();
    if (source.hasArray()) {
      write(source.array(), source.arrayOffset() + source.position(), source.remaining());
      source.position(source.limit());
      return;
    }
    // Read-only views have no accessible array: go through the slice buffer, still in bulk.
    if (copy == null) {
      copy = new byte[SLICE];
    }
    while (source.hasRemaining()) {
      int slice = Math.min(source.remaining(), SLICE);
      source.get(copy, 0, slice);
      write(copy, 0, slice);
    }
  }

  /**
   * Completes the last line if the content did not end with one and writes the end-of-data marker
   * (RFC 5321 section 4.1.1.4). Does not flush or close the underlying stream.
   */
  void finish() throws IOException {
    requireOpen();
    int n = 0;
    if (pendingCr || !atLineStart) {
      n = crlf(n);
    }
    encoded[n++] = '.';
    n = crlf(n);
    out.write(encoded, 0, n);
    finished = true;
  }

  private int encode(byte b, int n) {
    if (pendingCr) {
      pendingCr = false;
      n = crlf(n);
      atLineStart = true;
      if (b == '\n') {
        return n;
      }
      // A bare CR: the CRLF above ends its line and b starts the next one.
    }
    if (b == '\r') {
      pendingCr = true;
      return n;
    }
    if (b == '\n') {
      atLineStart = true;
      return crlf(n);
    }
    if (atLineStart && b == '.') {
      encoded[n++] = '.';
    }
    encoded[n++] = b;
    atLineStart = false;
    return n;
  }

  private int crlf(int n) {
    encoded[n++] = '\r';
    encoded[n++] = '\n';
    return n;
  }

  private void requireOpen() {
    if (finished) {
      throw new IllegalStateException("end of data already written");
    }
  }
}
