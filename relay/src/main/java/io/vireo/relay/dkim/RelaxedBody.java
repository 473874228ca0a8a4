package io.vireo.relay.dkim;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The "relaxed" body canonicalisation of RFC 6376 section 3.4.4, streamed into SHA-256: whitespace
 * at the end of a line is dropped, other runs of space and tab become one space, empty lines at the
 * end are dropped, and a non-empty body ends with one CRLF (an empty body stays empty). One
 * instance hashes one body.
 */
final class RelaxedBody {
  private static final byte[] CRLF = {'\r', '\n'};

  private final MessageDigest digest;
  private final byte[] out = new byte[8192];
  private int used;
  private boolean pendingSpace;
  private boolean pendingCr;
  private int pendingLineEnds;
  private boolean lineHasContent;
  private boolean anyContent;

  RelaxedBody() {
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  void update(byte[] bytes, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      byte b = bytes[i];
      if (pendingCr) {
        pendingCr = false;
        if (b == '\n') {
          endLine();
          continue;
        }
        content((byte) '\r');
      }
      if (b == '\r') {
        pendingCr = true;
      } else if (b == ' ' || b == '\t') {
        pendingSpace = true;
      } else {
        content(b);
      }
    }
  }

  /** The body hash, {@code bh=} before base64. */
  byte[] finish() {
    if (pendingCr) {
      content((byte) '\r');
      pendingCr = false;
    }
    if (anyContent && (lineHasContent || pendingLineEnds > 0)) {
      emit(CRLF, 2);
    }
    flush();
    return digest.digest();
  }

  private void endLine() {
    pendingSpace = false; // whitespace at the end of a line is ignored
    pendingLineEnds++;
    lineHasContent = false;
  }

  private void content(byte b) {
    // Line ends are held back until content follows, so empty lines at the end never count.
    while (pendingLineEnds > 0) {
      emit(CRLF, 2);
      pendingLineEnds--;
    }
    if (pendingSpace) {
      emitByte((byte) ' ');
      pendingSpace = false;
    }
    emitByte(b);
    lineHasContent = true;
    anyContent = true;
  }

  private void emit(byte[] bytes, int length) {
    for (int i = 0; i < length; i++) {
      emitByte(bytes[i]);
    }
  }

  private void emitByte(byte b) {
    if (used == out.length) {
      flush();
    }
    out[used++] = b;
  }

  private void flush() {
    digest.update(out, 0, used);
    used = 0;
  }
}
