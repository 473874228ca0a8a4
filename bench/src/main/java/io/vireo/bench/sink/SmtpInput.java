package io.vireo.bench.sink;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * The server side of an SMTP connection's input: one buffer over the socket that yields bounded
 * command lines, dot-stuffed DATA content and BDAT chunks without copying more than it must.
 *
 * <p>Before every read that may block it runs {@code beforeBlockingRead}: the session flushes its
 * pending replies there, so pipelined commands (RFC 2920) get their replies in one write and a client
 * waiting for a reply never waits on a buffer.
 */
final class SmtpInput {
  /** {@link #readLine} result: the connection ended. */
  static final int END_OF_STREAM = -1;

  /** {@link #readLine} result: the line was longer than the buffer; it was consumed and dropped. */
  static final int LINE_TOO_LONG = -2;

  /** {@link #readLine} result: the line ended with LF without CR; it was consumed and dropped. */
  static final int BARE_LF = -3;

  private enum DataState {
    LINE_START,
    DOT,
    DOT_CR,
    MID_LINE
  }

  /** Work to do before the input may block, such as flushing replies. */
  @FunctionalInterface
  interface BeforeBlockingRead {
    void run() throws IOException;
  }

  private final InputStream in;
  private final BeforeBlockingRead beforeBlockingRead;
  private final byte[] buffer;
  private int position;
  private int limit;

  SmtpInput(InputStream in, int bufferSize, BeforeBlockingRead beforeBlockingRead) {
    this.in = in;
    this.beforeBlockingRead = beforeBlockingRead;
    this.buffer = new byte[bufferSize];
  }

  /**
   * Reads one CRLF-terminated line into {@code line} without its CRLF and returns its length, or one
   * of {@link #END_OF_STREAM}, {@link #LINE_TOO_LONG}, {@link #BARE_LF}.
   */
  int readLine(byte[] line) throws IOException {
    int length = 0;
    boolean overflow = false;
    byte previous = 0;
    while (true) {
      if (position == limit && !fill()) {
        return END_OF_STREAM;
      }
      byte b = buffer[position++];
      if (b == '\n') {
        if (previous != '\r') {
          return BARE_LF;
        }
        return overflow ? LINE_TOO_LONG : length - 1;
      }
      if (length < line.length) {
        line[length++] = b;
      } else {
        overflow = true;
      }
      previous = b;
    }
  }

  /**
   * Reads DATA content up to and including the terminating {@code CRLF.CRLF}, removing the dot that
   * the client added to lines starting with a dot (RFC 5321 section 4.5.2). Returns the number of
   * content bytes (the CRLF before the final dot included), copying them to {@code retain} if not null.
   */
  long readDotStuffed(ByteArrayOutputStream retain) throws IOException {
    long count = 0;
    DataState state = DataState.LINE_START;
    boolean previousWasCr = false;
    while (true) {
      if (position == limit && !fill()) {
        throw new EOFException("connection closed inside DATA");
      }
      switch (state) {
        case LINE_START -> {
          if (buffer[position] == '.') {
            position++;
            state = DataState.DOT;
          } else {
            state = DataState.MID_LINE;
          }
        }
        case DOT -> {
          // A dot at the start of a line is either the terminator or a stuffing dot to drop.
          if (buffer[position] == '\r') {
            position++;
            state = DataState.DOT_CR;
          } else {
            state = DataState.MID_LINE;
          }
        }
        case DOT_CR -> {
          if (buffer[position] == '\n') {
            position++;
            return count;
          }
          // ".\r" followed by something else: the dot was stuffing, the CR is content.
          count++;
          if (retain != null) {
            retain.write('\r');
          }
          previousWasCr = true;
          state = DataState.MID_LINE;
        }
        case MID_LINE -> {
          int start = position;
          int newline = start;
          while (newline < limit && buffer[newline] != '\n') {
            newline++;
          }
          boolean found = newline < limit;
          int end = found ? newline + 1 : limit;
          count += end - start;
          if (retain != null) {
            retain.write(buffer, start, end - start);
          }
          if (found) {
            boolean crBefore = newline > start ? buffer[newline - 1] == '\r' : previousWasCr;
            state = crBefore ? DataState.LINE_START : DataState.MID_LINE;
            previousWasCr = false;
          } else {
            previousWasCr = buffer[limit - 1] == '\r';
          }
          position = end;
        }
      }
    }
  }

  /** Reads exactly {@code octets} bytes of a BDAT chunk (RFC 3030), copying them to {@code retain} if not null. */
  void readChunk(long octets, ByteArrayOutputStream retain) throws IOException {
    long remaining = octets;
    while (remaining > 0) {
      if (position == limit && !fill()) {
        throw new EOFException("connection closed inside a BDAT chunk");
      }
      int take = (int) Math.min(remaining, limit - position);
      if (retain != null) {
        retain.write(buffer, position, take);
      }
      position += take;
      remaining -= take;
    }
  }

  private boolean fill() throws IOException {
    beforeBlockingRead.run();
    int read = in.read(buffer, 0, buffer.length);
    if (read <= 0) {
      return false;
    }
    position = 0;
    limit = read;
    return true;
  }
}
