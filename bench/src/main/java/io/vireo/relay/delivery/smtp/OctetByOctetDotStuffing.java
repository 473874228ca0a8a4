package io.vireo.relay.delivery.smtp;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * The pre-f089cde {@link DotStuffingOutputStream}, which encodes every octet of the content one by
 * one into a slice buffer; kept in bench only as the "before" of {@code DotStuffingBenchmark} and
 * never used by the relay. Apart from the name its code is the relay's class as it was before that
 * commit, so the benchmark compares the two algorithms and nothing else. The {@code duplicates}
 * tool pairs it with the relay's class: that copy is kept on purpose, as the benchmark's baseline.
 *
 * <p>What it produces (the contract both versions share): a {@code .} that starts a line is doubled
 * (RFC 5321 section 4.5.2), any bare CR or bare LF becomes CRLF (RFC 5321 section 2.3.8), and {@link
 * #finish()} ends the content with {@code CRLF.CRLF}.
 */
final class OctetByOctetDotStuffing extends OutputStream {
  private static final int SLICE = 4096;

  private final OutputStream out;
  // Each input byte becomes at most two output bytes (". " at a line start, bare LF -> CRLF).
  private final byte[] encoded = new byte[2 * SLICE + 2];
  private final byte[] single = new byte[1];
  private boolean atLineStart = true;
  private boolean pendingCr;
  private boolean finished;

  OctetByOctetDotStuffing(OutputStream out) {
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
    while (length > 0) {
      int slice = Math.min(length, SLICE);
      int n = 0;
      for (int i = offset; i < offset + slice; i++) {
        n = encode(bytes[i], n);
      }
      out.write(encoded, 0, n);
      offset += slice;
      length -= slice;
    }
  }

  /** Writes the remaining bytes of {@code source}, advancing its position. */
  void write(ByteBuffer source) throws IOException {
    requireOpen();
    while (source.hasRemaining()) {
      int slice = Math.min(source.remaining(), SLICE);
      int n = 0;
      for (int i = 0; i < slice; i++) {
        n = encode(source.get(), n);
      }
      out.write(encoded, 0, n);
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
