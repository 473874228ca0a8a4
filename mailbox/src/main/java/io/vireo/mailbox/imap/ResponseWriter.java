package io.vireo.mailbox.imap;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes IMAP responses (RFC 9051 section 7): raw protocol text, strings quoted or as literals as
 * their content needs, and literals streamed from message files. Buffered; the session flushes
 * before it waits for the client.
 */
final class ResponseWriter {
  private final OutputStream out;

  ResponseWriter(OutputStream out) {
    this.out = new BufferedOutputStream(out, 8192);
  }

  /** Protocol text the caller has made valid (atoms, numbers, parentheses). */
  ResponseWriter text(String ascii) throws IOException {
    int length = ascii.length();
    for (int i = 0; i < length; i++) {
      out.write(ascii.charAt(i));
    }
    return this;
  }

  ResponseWriter number(long value) throws IOException {
    return text(Long.toString(value));
  }

  ResponseWriter crlf() throws IOException {
    out.write('\r');
    out.write('\n');
    return this;
  }

  /** A whole untagged response line: {@code * text}. */
  void untagged(String line) throws IOException {
    text("* ").text(line).crlf();
  }

  /** The tagged completion of a command. */
  void tagged(String tag, String line) throws IOException {
    text(tag).text(" ").text(line).crlf();
  }

  /** A string: quoted when it is short 7-bit text without CR, LF or NUL, else a literal. */
  ResponseWriter string(String value) throws IOException {
    if (value.length() < 1024 && quotable(value)) {
      out.write('"');
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c == '"' || c == '\\') {
          out.write('\\');
        }
        out.write(c);
      }
      out.write('"');
      return this;
    }
    return literal(value.getBytes(StandardCharsets.UTF_8));
  }

  /** A string or NIL. */
  ResponseWriter nstring(String value) throws IOException {
    return value == null ? text("NIL") : string(value);
  }

  ResponseWriter literal(byte[] bytes) throws IOException {
    text("{").number(bytes.length).text("}").crlf();
    out.write(bytes);
    return this;
  }

  /**
   * A literal of exactly {@code length} octets from a stream. The length is announced before the
   * content is read, so a file that turns out shorter is padded with spaces and a longer one cut:
   * the client's framing must never break.
   */
  ResponseWriter literal(long length, InputStream content) throws IOException {
    text("{").number(length).text("}").crlf();
    byte[] buffer = new byte[8192];
    long left = length;
    while (left > 0) {
      int n = content.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        break;
      }
      out.write(buffer, 0, n);
      left -= n;
    }
    while (left-- > 0) {
      out.write(' ');
    }
    return this;
  }

  void flush() throws IOException {
    out.flush();
  }

  private static boolean quotable(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\r' || c == '\n' || c == 0 || c >= 0x80) {
        return false;
      }
    }
    return true;
  }
}
