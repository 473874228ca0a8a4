package io.vireo.mailbox.imap;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads whole IMAP commands from the client, literals included, within limits: a command line
 * (without its literals) of at most {@code maxLine} octets and literals of at most {@code
 * maxLiteral}. A synchronising literal ({@code {n}}) is invited with a continuation only when it
 * fits; a non-synchronising one ({@code {n+}}, RFC 7888) that does not fit is read and dropped up
 * to a bound, then the connection ends. Lines must end in CRLF.
 */
final class ImapInput {
  /** What reading one command came to. */
  sealed interface Read {
    /** The command, literals inline, final CRLF removed. */
    record Command(byte[] bytes) implements Read {}

    /** Over a limit or malformed; the rest of the command was consumed. */
    record Refused(String tag, String reason, boolean tooBig) implements Read {}
  }

  /** Sends the continuation that lets the client send a synchronising literal. */
  @FunctionalInterface
  interface Continuation {
    void ready() throws IOException;
  }

  private final InputStream in;
  private final int maxLine;
  private final long maxLiteral;
  private final byte[] buffer = new byte[4096];
  private int position;
  private int limit;

  ImapInput(InputStream in, int maxLine, long maxLiteral) {
    this.in = in;
    this.maxLine = maxLine;
    this.maxLiteral = maxLiteral;
  }

  /** Drops what was read ahead: after STARTTLS, plaintext that followed must not count (RFC 9051 6.2.1). */
  void discardBuffered() {
    position = limit;
  }

  /** True when bytes already wait in the buffer (pipelined commands). */
  boolean hasBuffered() {
    return position < limit;
  }

  /**
   * Reads one command.
   *
   * @throws EOFException when the client closed the connection
   */
  Read command(Continuation continuation) throws IOException {
    ByteArrayOutputStream command = new ByteArrayOutputStream(128);
    long lineOctets = 0;
    while (true) {
      Line line = line();
      lineOctets += line.length;
      if (line.malformed != null || lineOctets > maxLine) {
        String reason = line.malformed != null ? line.malformed : "command line too long";
        return new Read.Refused(tagOf(command, line), reason, false);
      }
      command.write(line.bytes, 0, line.length);
      Literal literal = Literal.at(line.bytes, line.length);
      if (literal == null) {
        return new Read.Command(command.toByteArray());
      }
      command.write('\r');
      command.write('\n');
      if (literal.length > maxLiteral) {
        if (!literal.nonSynchronising) {
          return new Read.Refused(tagOf(command, line), "literal too large", true);
        }
        if (literal.length > 2 * maxLiteral) {
          throw new IOException("non-synchronising literal of " + literal.length + " octets");
        }
        skip(literal.length);
        line(); // the rest of the command after the literal
        return new Read.Refused(tagOf(command, line), "literal too large", true);
      }
      if (!literal.nonSynchronising) {
        continuation.ready();
      }
      copy(literal.length, command);
    }
  }

  /** Reads a line (an AUTHENTICATE response, IDLE's DONE) without its CRLF; null when malformed. */
  String textLine() throws IOException {
    Line line = line();
    return line.malformed != null
        ? null
        : new String(line.bytes, 0, line.length, java.nio.charset.StandardCharsets.UTF_8);
  }

  private record Line(byte[] bytes, int length, String malformed) {}

  private Line line() throws IOException {
    byte[] bytes = new byte[128];
    int length = 0;
    String malformed = null;
    while (true) {
      int c = next();
      if (c == '\n') {
        if (length > 0 && bytes[length - 1] == '\r') {
          return new Line(bytes, length - 1, malformed);
        }
        return new Line(bytes, length, malformed != null ? malformed : "lines must end with CRLF");
      }
      if (length > 0 && bytes[length - 1] == '\r' && malformed == null) {
        malformed = "CR without LF";
      }
      if (length < maxLine + 2) {
        if (length == bytes.length) {
          bytes = java.util.Arrays.copyOf(bytes, Math.min(bytes.length * 2, maxLine + 2));
        }
        bytes[length++] = (byte) c;
      } else if (malformed == null) {
        malformed = "command line too long";
      }
    }
  }

  private void copy(long length, ByteArrayOutputStream into) throws IOException {
    long left = length;
    while (left > 0) {
      fill();
      int n = (int) Math.min(left, limit - position);
      into.write(buffer, position, n);
      position += n;
      left -= n;
    }
  }

  private void skip(long length) throws IOException {
    long left = length;
    while (left > 0) {
      fill();
      int n = (int) Math.min(left, limit - position);
      position += n;
      left -= n;
    }
  }

  private int next() throws IOException {
    fill();
    return buffer[position++] & 0xff;
  }

  private void fill() throws IOException {
    if (position < limit) {
      return;
    }
    int n = in.read(buffer, 0, buffer.length);
    if (n < 0) {
      throw new EOFException("client closed the connection");
    }
    position = 0;
    limit = n;
  }

  private static String tagOf(ByteArrayOutputStream command, Line line) {
    byte[] start = command.size() > 0 ? command.toByteArray() : java.util.Arrays.copyOf(line.bytes, line.length);
    int end = 0;
    while (end < start.length && end < 64 && start[end] > ' ' && start[end] < 0x7f && start[end] != '{') {
      end++;
    }
    return end == 0 || end == start.length ? "*" : new String(start, 0, end, java.nio.charset.StandardCharsets.US_ASCII);
  }

  /** A literal announced at the end of a line: {@code {n}} or {@code {n+}}. */
  private record Literal(long length, boolean nonSynchronising) {
    static Literal at(byte[] line, int length) {
      if (length < 3 || line[length - 1] != '}') {
        return null;
      }
      int i = length - 2;
      boolean plus = line[i] == '+';
      if (plus) {
        i--;
      }
      int digitsEnd = i;
      while (i >= 0 && line[i] >= '0' && line[i] <= '9') {
        i--;
      }
      if (i < 0 || line[i] != '{' || i == digitsEnd || digitsEnd - i > 18) {
        return null;
      }
      long value = Long.parseLong(new String(line, i + 1, digitsEnd - i, java.nio.charset.StandardCharsets.US_ASCII));
      return new Literal(value, plus);
    }
  }
}
