package io.vireo.relay.delivery.outcome.dsn;

import io.vireo.queue.MessageContent;
import java.nio.ByteBuffer;

/**
 * A one-pass scan of bytes that classifies them as RFC 2045 section 2 "7bit", "8bit" or "binary"
 * data: 7bit and 8bit data have lines of at most 998 octets, no NUL, and CR and LF only as CRLF;
 * 8bit data may have octets above 127. Fed in pieces, so chunked content is never copied.
 */
final class OctetScan {
  /** RFC 5322 section 2.1.1 and RFC 2045 section 2.7: at most 998 octets before the CRLF. */
  static final int MAX_LINE = 998;

  /** The RFC 2045 class of some data. */
  enum Kind {
    SEVEN_BIT,
    EIGHT_BIT,
    BINARY
  }

  private boolean highBit;
  private boolean binary;
  private boolean pendingCr;
  private long lineLength;

  static Kind classify(byte[] bytes) {
    return new OctetScan().update(bytes, 0, bytes.length).finish();
  }

  static Kind classify(MessageContent content) {
    OctetScan scan = new OctetScan();
    for (ByteBuffer chunk : content.chunks()) {
      scan.update(chunk);
    }
    return scan.finish();
  }

  /** Whether any octet in {@code bytes[from, to)} is above 127. */
  static boolean hasHighBit(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] < 0) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code bytes[from, to)} may stand unencoded in a 7bit entity. */
  static boolean isSevenBit(byte[] bytes, int from, int to) {
    return new OctetScan().update(bytes, from, to).finish() == Kind.SEVEN_BIT;
  }

  OctetScan update(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      accept(bytes[i]);
    }
    return this;
  }

  OctetScan update(ByteBuffer buffer) {
    ByteBuffer view = buffer.duplicate();
    while (view.hasRemaining()) {
      accept(view.get());
    }
    return this;
  }

  Kind finish() {
    if (pendingCr || lineLength > MAX_LINE) {
      binary = true;
    }
    if (binary) {
      return Kind.BINARY;
    }
    return highBit ? Kind.EIGHT_BIT : Kind.SEVEN_BIT;
  }

  private void accept(byte b) {
    if (pendingCr) {
      pendingCr = false;
      if (b == '\n') {
        lineLength = 0;
        return;
      }
      binary = true; // a CR not followed by LF
    }
    switch (b) {
      case '\r' -> {
        pendingCr = true;
        if (lineLength > MAX_LINE) {
          binary = true;
        }
      }
      case '\n' -> binary = true; // a LF without its CR
      case 0 -> binary = true;
      default -> {
        if (b < 0) {
          highBit = true;
        }
        lineLength++;
      }
    }
  }
}
