package io.vireo.relay.delivery.outcome.dsn;

import io.vireo.queue.MessageContent;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * The header section of a stored message: every header line with its CRLF, without the empty line
 * that ends it (RFC 5322 section 2.1). Read from the front of the content only, so a large body is
 * never touched.
 *
 * @param bytes the header lines
 * @param truncated whether the section was longer than the limit and was cut at a line boundary
 */
record HeaderSection(byte[] bytes, boolean truncated) {

  static HeaderSection of(MessageContent content, int maxBytes) {
    // The empty line must start at or before maxBytes to fit, so 4 more bytes decide it.
    byte[] front = new byte[(int) Math.min(content.size(), (long) maxBytes + 4)];
    try (InputStream in = content.openStream()) {
      int filled = 0;
      int searched = 0;
      while (filled < front.length) {
        int n = in.read(front, filled, Math.min(8 * 1024, front.length - filled));
        if (n <= 0) {
          break;
        }
        filled += n;
        // A header section can be empty: the message then starts with the empty line.
        if (filled >= 2 && front[0] == '\r' && front[1] == '\n') {
          return new HeaderSection(new byte[0], false);
        }
        int end = findEmptyLine(front, Math.max(0, searched - 3), filled);
        if (end >= 0 && end <= maxBytes) {
          return new HeaderSection(Arrays.copyOf(front, end), false);
        }
        searched = filled;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading in-memory message content", e);
    }
    if (content.size() <= maxBytes) {
      // No empty line: the whole message is header (RFC 5322 allows a message without a body).
      return new HeaderSection(front, false);
    }
    return new HeaderSection(Arrays.copyOf(front, lastLineEnd(front, maxBytes)), true);
  }

  /** The index just past the CRLF that ends the last header line, or -1 without an empty line. */
  private static int findEmptyLine(byte[] bytes, int from, int to) {
    for (int i = from; i + 3 < to; i++) {
      if (bytes[i] == '\r'
          && bytes[i + 1] == '\n'
          && bytes[i + 2] == '\r'
          && bytes[i + 3] == '\n') {
        return i + 2;
      }
    }
    return -1;
  }

  /** The index just past the last CRLF at or before {@code limit}, or 0 if there is none. */
  private static int lastLineEnd(byte[] bytes, int limit) {
    for (int i = Math.min(limit, bytes.length) - 1; i > 0; i--) {
      if (bytes[i] == '\n' && bytes[i - 1] == '\r') {
        return i + 1;
      }
    }
    return 0;
  }
}
