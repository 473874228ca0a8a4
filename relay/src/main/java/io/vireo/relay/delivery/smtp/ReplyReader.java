package io.vireo.relay.delivery.smtp;

import io.vireo.relay.protocol.SmtpReply;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads SMTP replies (RFC 5321 section 4.2) into {@link SmtpReply}, the reply value the server side
 * renders, from a byte stream with its own small buffer, so the caller can tell whether the server
 * sent more than it was asked for (STARTTLS injection, RFC 3207 section 4.1 and CVE-2011-0411) and
 * switch the underlying stream after a TLS upgrade.
 */
final class ReplyReader {
  /** RFC 5321 section 4.5.3.1.5 allows 512 octets; servers that send longer text still get read. */
  static final int MAX_LINE = 8192;

  /** An EHLO reply has a line per extension; nothing legitimate comes close to this. */
  static final int MAX_LINES = 256;

  private final byte[] buffer = new byte[4096];
  private InputStream in;
  private int position;
  private int limit;

  ReplyReader(InputStream in) {
    this.in = in;
  }

  /** Continues reading from {@code next}; only legal when nothing is buffered. */
  void switchTo(InputStream next) {
    if (buffered() > 0) {
      throw new IllegalStateException("bytes buffered from the old stream");
    }
    this.in = next;
  }

  /** Bytes received but not yet consumed by a reply. */
  int buffered() {
    return limit - position;
  }

  SmtpReply read() throws IOException {
    List<String> lines = new ArrayList<>(1);
    int code = -1;
    while (true) {
      String line = readLine();
      if (line.length() < 3 || !isDigits(line)) {
        throw new ProtocolException("malformed reply line: " + abbreviate(line));
      }
      if (line.length() > 3 && line.charAt(3) != ' ' && line.charAt(3) != '-') {
        throw new ProtocolException("malformed reply line: " + abbreviate(line));
      }
      // All lines of a reply carry the same code (RFC 5321 section 4.2.1); if a server disagrees
      // with
      // itself the last line wins, as it is the one that ends the reply.
      code = Integer.parseInt(line, 0, 3, 10);
      lines.add(line);
      boolean last = line.length() == 3 || line.charAt(3) == ' ';
      if (last) {
        break;
      }
      if (lines.size() >= MAX_LINES) {
        throw new ProtocolException("reply longer than " + MAX_LINES + " lines");
      }
    }
    if (code < 100 || code > 599) {
      throw new ProtocolException("reply code out of range: " + code);
    }
    return SmtpReply.parse(code, lines);
  }

  // Accepts CRLF and, leniently, a bare LF: a reply is only read, never relayed, so tolerance is
  // safe.
  private String readLine() throws IOException {
    byte[] line = null;
    int lineLength = 0;
    while (true) {
      if (position == limit) {
        fill();
      }
      int start = position;
      while (position < limit && buffer[position] != '\n') {
        position++;
      }
      boolean found = position < limit;
      int chunk = position - start;
      if (lineLength + chunk > MAX_LINE) {
        throw new ProtocolException("reply line longer than " + MAX_LINE + " octets");
      }
      if (line == null) {
        line = new byte[Math.max(128, chunk)];
      } else if (line.length < lineLength + chunk) {
        line = java.util.Arrays.copyOf(line, Math.max(line.length * 2, lineLength + chunk));
      }
      System.arraycopy(buffer, start, line, lineLength, chunk);
      lineLength += chunk;
      if (found) {
        position++;
        if (lineLength > 0 && line[lineLength - 1] == '\r') {
          lineLength--;
        }
        return new String(line, 0, lineLength, StandardCharsets.UTF_8);
      }
    }
  }

  private void fill() throws IOException {
    int n = in.read(buffer, 0, buffer.length);
    if (n < 0) {
      throw new EOFException("connection closed by the server");
    }
    position = 0;
    limit = n;
  }

  private static boolean isDigits(String line) {
    for (int i = 0; i < 3; i++) {
      char c = line.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static String abbreviate(String line) {
    return line.length() <= 80 ? line : line.substring(0, 80) + "...";
  }
}
