package io.vireo.mailbox.imap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes IMAP responses (RFC 9051 section 7): raw protocol text, strings quoted or as literals as
 * their content needs, and literals streamed from message files. Buffered in its own array (not a
 * BufferedOutputStream, whose every one-octet write takes a lock); the session flushes before it
 * waits for the client.
 */
final class ResponseWriter {
  private static final int BUFFER = 16 * 1024;
  private static final int BULK = 128 * 1024;

  private final OutputStream out;
  private final byte[] buffer;
  private int count;
  private byte[] bulk;

  ResponseWriter(OutputStream out) {
    this(out, BUFFER);
  }

  private ResponseWriter(OutputStream out, int size) {
    this.out = out;
    this.buffer = new byte[size];
  }

  /** A writer that renders into memory (a response part kept in {@link FetchCache}). */
  static ResponseWriter inMemory(ByteArrayOutputStream into) {
    return new ResponseWriter(into, 512);
  }

  /** Protocol text the caller has made valid (atoms, numbers, parentheses). */
  ResponseWriter text(String ascii) throws IOException {
    int length = ascii.length();
    for (int i = 0; i < length; i++) {
      write(ascii.charAt(i));
    }
    return this;
  }

  /** Octets already in protocol form (a response part rendered before). */
  ResponseWriter raw(byte[] bytes) throws IOException {
    write(bytes, 0, bytes.length);
    return this;
  }

  ResponseWriter number(long value) throws IOException {
    return text(Long.toString(value));
  }

  ResponseWriter crlf() throws IOException {
    write('\r');
    write('\n');
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
      write('"');
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c == '"' || c == '\\') {
          write('\\');
        }
        write(c);
      }
      write('"');
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
    return raw(bytes);
  }

  /**
   * A literal of exactly {@code length} octets from a stream. The length is announced before the
   * content is read, so a file that turns out shorter is padded with spaces and a longer one cut:
   * the client's framing must never break.
   */
  ResponseWriter literal(long length, InputStream content) throws IOException {
    text("{").number(length).text("}").crlf();
    long left = length;
    if (length > buffer.length) {
      // A large literal goes out in large writes (fewer socket writes, each of which may park the
      // session's thread), through a block allocated on the first such literal: idle sessions
      // never hold it.
      drain();
      if (bulk == null) {
        bulk = new byte[BULK];
      }
      while (left > 0) {
        int n = content.readNBytes(bulk, 0, (int) Math.min(bulk.length, left));
        if (n == 0) {
          break;
        }
        out.write(bulk, 0, n);
        left -= n;
      }
    } else {
      // Read straight into the output buffer: no copy between a read buffer and this one.
      while (left > 0) {
        if (count == buffer.length) {
          drain();
        }
        int n = content.read(buffer, count, (int) Math.min(buffer.length - count, left));
        if (n < 0) {
          break;
        }
        count += n;
        left -= n;
      }
    }
    while (left-- > 0) {
      write(' ');
    }
    return this;
  }

  void flush() throws IOException {
    drain();
    out.flush();
  }

  private void write(int b) throws IOException {
    if (count == buffer.length) {
      drain();
    }
    buffer[count++] = (byte) b;
  }

  private void write(byte[] bytes, int offset, int length) throws IOException {
    if (length > buffer.length - count) {
      drain();
      if (length >= buffer.length) {
        out.write(bytes, offset, length);
        return;
      }
    }
    System.arraycopy(bytes, offset, buffer, count, length);
    count += length;
  }

  /** Hands the buffered octets to the stream, without flushing it. */
  private void drain() throws IOException {
    if (count > 0) {
      out.write(buffer, 0, count);
      count = 0;
    }
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
