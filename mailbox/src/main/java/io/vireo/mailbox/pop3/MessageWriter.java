package io.vireo.mailbox.pop3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Streams a stored message as a POP3 multi-line response body (RFC 1939 section 3): every line
 * ends in CRLF (a Maildir file may hold bare LF line ends), a line that starts with "." gets one
 * more, and the response ends with ".CRLF". For TOP (section 7) only the header, the blank line
 * and the first {@code bodyLines} body lines are sent. Reads and writes through fixed buffers, so
 * a message of any size costs the same memory.
 */
final class MessageWriter {
  private static final byte[] TERMINATOR = {'.', '\r', '\n'};
  private static final int BUFFER = 16 * 1024;

  private final OutputStream out;
  private final byte[] buffer = new byte[BUFFER + 4];
  private int count;
  private boolean lineStart = true;
  private boolean pendingCr;
  private boolean inHeader = true;
  private int bodyLinesLeft;

  private MessageWriter(OutputStream out, int bodyLines) {
    this.out = out;
    this.bodyLinesLeft = bodyLines;
  }

  /**
   * @param bodyLines body lines after the header for TOP; negative for the whole message (RETR)
   */
  static void write(InputStream message, OutputStream out, int bodyLines) throws IOException {
    new MessageWriter(out, bodyLines).copy(message);
  }

  private void copy(InputStream message) throws IOException {
    byte[] in = new byte[BUFFER];
    int n;
    reading:
    while ((n = message.read(in)) > 0) {
      int i = 0;
      while (i < n) {
        if (finished()) {
          break reading;
        }
        if (!pendingCr && !lineStart) {
          // Inside a line: everything up to the next CR or LF goes out as it is, in one copy.
          int end = i;
          while (end < n && in[end] != '\r' && in[end] != '\n') {
            end++;
          }
          if (end > i) {
            emit(in, i, end - i);
            i = end;
            continue;
          }
        }
        accept(in[i++]);
      }
    }
    if (pendingCr || !lineStart) {
      endLine(); // the last line without its line end gets one
    }
    emit(TERMINATOR);
    out.write(buffer, 0, count);
  }

  /** TOP: the header is over and the body lines asked for are sent. */
  private boolean finished() {
    return !inHeader && bodyLinesLeft == 0 && lineStart && !pendingCr;
  }

  private void accept(byte b) throws IOException {
    if (pendingCr) {
      pendingCr = false;
      if (b == '\n') {
        endLine();
        return;
      }
      emit('\r'); // a CR inside a line stays as it was
      lineStart = false;
    }
    if (b == '\r') {
      pendingCr = true;
    } else if (b == '\n') {
      endLine();
    } else {
      if (lineStart && b == '.') {
        emit('.');
      }
      emit(b);
      lineStart = false;
    }
  }

  private void endLine() throws IOException {
    if (inHeader && lineStart) {
      inHeader = false; // the blank line between header and body
    } else if (!inHeader && bodyLinesLeft > 0) {
      bodyLinesLeft--;
    }
    emit('\r');
    emit('\n');
    lineStart = true;
  }

  private void emit(int b) throws IOException {
    if (count == BUFFER) {
      out.write(buffer, 0, count);
      count = 0;
    }
    buffer[count++] = (byte) b;
  }

  private void emit(byte[] bytes, int offset, int length) throws IOException {
    while (length > 0) {
      if (count == BUFFER) {
        out.write(buffer, 0, count);
        count = 0;
      }
      int n = Math.min(length, BUFFER - count);
      System.arraycopy(bytes, offset, buffer, count, n);
      count += n;
      offset += n;
      length -= n;
    }
  }

  private void emit(byte[] bytes) throws IOException {
    for (byte b : bytes) {
      emit(b);
    }
  }
}
