package io.vireo.relay.delivery.smtp;

import io.vireo.queue.MessageContent;
import java.nio.ByteBuffer;

/**
 * What a message's bytes actually contain, for deciding whether content declared 8-bit or binary
 * can still travel over DATA to a server without the matching extension.
 *
 * @param eightBit some octet is above 127
 * @param lineStructured no NUL, and every CR and LF belongs to a CRLF pair: the content survives
 *     DATA unchanged
 */
record ContentScan(boolean eightBit, boolean lineStructured) {

  static ContentScan of(MessageContent content) {
    boolean eightBit = false;
    boolean lineStructured = true;
    boolean previousCr = false;
    for (ByteBuffer chunk : content.chunks()) {
      while (chunk.hasRemaining()) {
        byte b = chunk.get();
        if (b < 0) {
          eightBit = true;
        }
        if (b == 0 || (previousCr && b != '\n') || (b == '\n' && !previousCr)) {
          lineStructured = false;
        }
        previousCr = b == '\r';
      }
    }
    if (previousCr) {
      lineStructured = false;
    }
    return new ContentScan(eightBit, lineStructured);
  }

  boolean sevenBitText() {
    return !eightBit && lineStructured;
  }
}
