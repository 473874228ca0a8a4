package io.vireo.relay.intake;

import io.vireo.queue.MessageContent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The Message-ID header field of a message (RFC 5322 section 3.6.4), for the accept log line as
 * Postfix's cleanup logs it. Reads the header section only, at most {@link #MAX_SCAN} bytes of it,
 * from the content's buffers without copying them; unfolds a folded value.
 */
final class HeaderMessageId {
  /** Header sections longer than this are not searched further (a Message-ID is near the top). */
  static final int MAX_SCAN = 64 * 1024;

  private static final byte[] NAME = "message-id:".getBytes(StandardCharsets.US_ASCII);
  private static final int MAX_VALUE = 998;

  private HeaderMessageId() {}

  /** The field's value, stripped; null when the message has none in its first {@link #MAX_SCAN} bytes. */
  static String of(MessageContent content) {
    byte[] head = head(content);
    int lineStart = 0;
    while (lineStart < head.length) {
      int lineEnd = lineEnd(head, lineStart);
      if (lineEnd == lineStart) {
        return null; // the empty line: end of the header section
      }
      if (startsWithName(head, lineStart)) {
        StringBuilder value = new StringBuilder();
        append(value, head, lineStart + NAME.length, lineEnd);
        // Folded continuation lines start with white space (RFC 5322 section 2.2.3).
        int next = skipEol(head, lineEnd);
        while (next < head.length && (head[next] == ' ' || head[next] == '\t')) {
          int end = lineEnd(head, next);
          append(value, head, next, end);
          next = skipEol(head, end);
        }
        String text = value.toString().strip();
        return text.isEmpty() ? null : text;
      }
      lineStart = skipEol(head, lineEnd);
    }
    return null;
  }

  private static byte[] head(MessageContent content) {
    int size = (int) Math.min(content.size(), MAX_SCAN);
    byte[] head = new byte[size];
    int at = 0;
    for (ByteBuffer chunk : content.chunks()) {
      ByteBuffer view = chunk.duplicate();
      int n = Math.min(view.remaining(), size - at);
      view.get(head, at, n);
      at += n;
      if (at == size) {
        break;
      }
    }
    return head;
  }

  private static boolean startsWithName(byte[] head, int at) {
    if (at + NAME.length > head.length) {
      return false;
    }
    for (int i = 0; i < NAME.length; i++) {
      int b = head[at + i];
      if ((b >= 'A' && b <= 'Z' ? b + 32 : b) != NAME[i]) {
        return false;
      }
    }
    return true;
  }

  private static int lineEnd(byte[] head, int from) {
    int i = from;
    while (i < head.length && head[i] != '\r' && head[i] != '\n') {
      i++;
    }
    return i;
  }

  private static int skipEol(byte[] head, int at) {
    int i = at;
    if (i < head.length && head[i] == '\r') {
      i++;
    }
    if (i < head.length && head[i] == '\n') {
      i++;
    }
    return i;
  }

  private static void append(StringBuilder value, byte[] head, int from, int to) {
    int n = Math.min(to - from, MAX_VALUE - value.length());
    if (n > 0) {
      value.append(new String(head, from, n, StandardCharsets.UTF_8));
    }
  }
}
