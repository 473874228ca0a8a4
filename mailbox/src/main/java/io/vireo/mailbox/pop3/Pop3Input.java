package io.vireo.mailbox.pop3;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * The client's side of a POP3 session, read through one buffer: command lines and SASL responses,
 * each bounded, each ending with CRLF. A line over the bound is skipped to its end, so the session
 * answers it and stays in step; a bare CR or LF is refused rather than guessed at.
 */
final class Pop3Input {
  /** What one read gave. */
  sealed interface Line {
    record Text(byte[] bytes) implements Line {}

    /** Longer than the bound; skipped to its end. */
    record TooLong() implements Line {}

    /** A CR or LF that was not part of a CRLF. */
    record BareLineEnd() implements Line {}

    /** The client closed its side. */
    record End() implements Line {}
  }

  private final InputStream in;
  private final byte[] buffer;
  private int position;
  private int limit;

  Pop3Input(InputStream in, int bufferSize) {
    this.in = in;
    this.buffer = new byte[bufferSize];
  }

  /** Whether bytes the client sent are already buffered (a pipelined command, RFC 2449 section 6.6). */
  boolean hasBufferedInput() {
    return position < limit;
  }

  /**
   * Drops what is buffered; before a TLS handshake so no plaintext sent behind STLS is run as if it
   * came over TLS (RFC 2595 section 3.1, CVE-2011-0411).
   *
   * @return the octets dropped
   */
  int discardBuffered() {
    int dropped = limit - position;
    position = limit;
    return dropped;
  }

  /** Reads one line of at most {@code max} octets before its CRLF. */
  Line readLine(int max) throws IOException {
    byte[] line = new byte[Math.min(max, 256)];
    int length = 0;
    boolean tooLong = false;
    boolean bare = false;
    while (true) {
      if (position == limit && !fill()) {
        return new Line.End();
      }
      byte b = buffer[position++];
      if (b == '\n') {
        return new Line.BareLineEnd();
      }
      if (b == '\r') {
        if (position == limit && !fill()) {
          return new Line.End();
        }
        if (buffer[position] == '\n') {
          position++;
          return bare
              ? new Line.BareLineEnd()
              : tooLong ? new Line.TooLong() : new Line.Text(Arrays.copyOf(line, length));
        }
        bare = true;
        continue;
      }
      if (tooLong || bare) {
        continue;
      }
      if (length == max) {
        tooLong = true;
        continue;
      }
      if (length == line.length) {
        line = Arrays.copyOf(line, Math.min(max, line.length * 2));
      }
      line[length++] = b;
    }
  }

  private boolean fill() throws IOException {
    int n = in.read(buffer, 0, buffer.length);
    if (n <= 0) {
      return false;
    }
    position = 0;
    limit = n;
    return true;
  }
}
