package io.vireo.bench.mail;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * What a POP3 or IMAP server sends, read as CRLF-ended lines and counted octet runs (IMAP literals,
 * RFC 9051 section 4.3), from one buffer. Literal and multi-line contents are skipped, only counted:
 * the client measures the server, so it copies nothing it does not need to parse.
 */
final class MailInput {
  /** Longest line kept as text; longer ones (an ENVELOPE with many addresses) are cut, not refused. */
  private static final int MAX_KEPT = 64 * 1024;

  private final InputStream in;
  private final byte[] buffer = new byte[64 * 1024];
  private int position;
  private int limit;
  private long octets;

  MailInput(InputStream in) {
    this.in = in;
  }

  /** Octets read so far, line ends included. */
  long octets() {
    return octets;
  }

  /** The next line without its CRLF (a bare LF ends a line too). */
  String readLine() throws IOException {
    StringBuilder line = new StringBuilder(128);
    while (true) {
      if (position == limit) {
        fill();
      }
      int start = position;
      while (position < limit && buffer[position] != '\n') {
        position++;
      }
      boolean ended = position < limit;
      int end = position;
      if (ended) {
        position++;
      }
      octets += position - start;
      if (line.length() < MAX_KEPT) {
        line.append(new String(buffer, start, end - start, StandardCharsets.ISO_8859_1));
      }
      if (ended) {
        int length = line.length();
        if (length > 0 && line.charAt(length - 1) == '\r') {
          line.setLength(length - 1);
        }
        return line.toString();
      }
    }
  }

  /** Reads and drops {@code count} octets (an IMAP literal). */
  void skip(long count) throws IOException {
    long left = count;
    while (left > 0) {
      if (position == limit) {
        fill();
      }
      int step = (int) Math.min(left, limit - position);
      position += step;
      left -= step;
    }
    octets += count;
  }

  /**
   * Reads and drops a POP3 multi-line body up to and including its terminating line, a lone dot
   * (RFC 1939 section 3), without making strings of its lines; returns the octets before that line.
   * Must be called at the start of a line.
   */
  long skipDotTerminated() throws IOException {
    long before = octets;
    // state 0: at a line start; 1: inside a line; 2: a dot at a line start; 3: dot then CR;
    // 4: ended by ".LF", 5: ended by ".CRLF"
    int state = 0;
    while (true) {
      if (position == limit) {
        fill();
      }
      int start = position;
      while (position < limit) {
        byte b = buffer[position++];
        switch (state) {
          case 0 -> state = b == '.' ? 2 : b == '\n' ? 0 : 1;
          case 1 -> state = b == '\n' ? 0 : 1;
          case 2 -> state = b == '\r' ? 3 : b == '\n' ? 4 : 1;
          case 3 -> state = b == '\n' ? 5 : 1;
          default -> throw new IllegalStateException();
        }
        if (state >= 4) {
          octets += position - start;
          return octets - before - (state == 5 ? 3 : 2);
        }
      }
      octets += position - start;
    }
  }

  private void fill() throws IOException {
    int read = in.read(buffer);
    if (read < 0) {
      throw new EOFException("server closed the connection");
    }
    position = 0;
    limit = read;
  }
}
