package io.vireo.relay.server;

import java.util.Arrays;

/**
 * Test helper: splits stored content into the Received header this server prepended and the rest.
 */
final class TraceHeaders {
  private TraceHeaders() {}

  /** The octets after the leading {@code Received:} field and its folded continuation lines. */
  static byte[] afterReceived(byte[] content) {
    if (!new String(
            content, 0, Math.min(10, content.length), java.nio.charset.StandardCharsets.US_ASCII)
        .equals("Received: ")) {
      throw new AssertionError("content does not start with a Received header");
    }
    int lineStart = 0;
    while (true) {
      int lf = indexOf(content, (byte) '\n', lineStart);
      if (lf < 0) {
        throw new AssertionError("unterminated Received header");
      }
      lineStart = lf + 1;
      // RFC 5322 folding: a continuation line starts with white space.
      if (lineStart >= content.length
          || (content[lineStart] != '\t' && content[lineStart] != ' ')) {
        return Arrays.copyOfRange(content, lineStart, content.length);
      }
    }
  }

  private static int indexOf(byte[] bytes, byte b, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
