package io.vireo.bench.load;

import java.io.ByteArrayOutputStream;

/**
 * Transparency for DATA content (RFC 5321 section 4.5.2): the sender doubles a dot at the start of
 * every line so that no content line can be mistaken for the terminating {@code CRLF.CRLF}.
 */
final class DotStuffing {
  private DotStuffing() {}

  /** Returns {@code content}, which starts at a line start, with a dot added before every line-leading dot. */
  static byte[] stuff(byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 16);
    boolean lineStart = true;
    for (int i = 0; i < content.length; i++) {
      byte b = content[i];
      if (lineStart && b == '.') {
        out.write('.');
      }
      out.write(b);
      lineStart = b == '\n' && i > 0 && content[i - 1] == '\r';
    }
    return out.toByteArray();
  }
}
