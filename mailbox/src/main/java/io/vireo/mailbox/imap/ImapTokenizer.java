package io.vireo.mailbox.imap;

import java.nio.charset.StandardCharsets;

/**
 * Reads the tokens of one complete IMAP command (RFC 9051 section 9): atoms, quoted strings and
 * literals ({@code {n}} or {@code {n+}}, CRLF, then n octets, as the command reader left them
 * inline). Every failure is a {@link ImapParseException}; nothing here reads past the bytes given.
 */
final class ImapTokenizer {
  private final byte[] bytes;
  private int position;

  ImapTokenizer(byte[] bytes) {
    this.bytes = bytes;
  }

  boolean atEnd() {
    return position >= bytes.length;
  }

  int peek() {
    return atEnd() ? -1 : bytes[position] & 0xff;
  }

  void expect(char c) {
    if (peek() != c) {
      throw new ImapParseException("expected '" + c + "'" + where());
    }
    position++;
  }

  boolean accept(char c) {
    if (peek() == c) {
      position++;
      return true;
    }
    return false;
  }

  void space() {
    expect(' ');
  }

  void end() {
    if (!atEnd()) {
      throw new ImapParseException("unexpected characters at the end of the command" + where());
    }
  }

  /** An atom: one or more ATOM-CHARs; {@code extra} names further allowed characters. */
  String atom(String extra) {
    int start = position;
    while (!atEnd()) {
      int c = peek();
      if (c <= 0x20 || c >= 0x7f || "(){%*\"\\]".indexOf(c) >= 0) {
        if (c < 0x7f && c > 0x20 && extra.indexOf(c) >= 0) {
          position++;
          continue;
        }
        break;
      }
      position++;
    }
    if (position == start) {
      throw new ImapParseException("expected an atom" + where());
    }
    return new String(bytes, start, position - start, StandardCharsets.US_ASCII);
  }

  String atom() {
    return atom("");
  }

  /** Letters, digits and dots: a FETCH item or section name ({@code BODY.PEEK}, {@code 1.2.MIME}). */
  String name() {
    int start = position;
    while (!atEnd() && (Character.isLetterOrDigit(peek()) && peek() < 0x80 || peek() == '.')) {
      position++;
    }
    if (position == start) {
      throw new ImapParseException("expected a name" + where());
    }
    return new String(bytes, start, position - start, StandardCharsets.US_ASCII);
  }

  /** The next atom, without consuming it; "" when none starts here. */
  String peekAtom() {
    int start = position;
    try {
      return atom();
    } catch (ImapParseException e) {
      return "";
    } finally {
      position = start;
    }
  }

  /** An astring: atom (ASTRING-CHAR allows ']') or string. */
  String astring() {
    int c = peek();
    return c == '"' || c == '{' || c == '~' ? string() : atom("]");
  }

  /** A list-mailbox: like an astring but with the wildcards % and *. */
  String listMailbox() {
    int c = peek();
    return c == '"' || c == '{' ? string() : atom("]%*");
  }

  /** A quoted string or a literal, as UTF-8 (RFC 9051 allows UTF-8 in quoted strings). */
  String string() {
    return new String(stringBytes(), StandardCharsets.UTF_8);
  }

  byte[] stringBytes() {
    int c = peek();
    if (c == '"') {
      return quoted();
    }
    if (c == '~') {
      position++; // literal8 (RFC 3516, allowed by RFC 9051 in APPEND)
    }
    if (peek() == '{') {
      return literal();
    }
    throw new ImapParseException("expected a string" + where());
  }

  private byte[] quoted() {
    expect('"');
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    while (true) {
      if (atEnd()) {
        throw new ImapParseException("unterminated quoted string");
      }
      int c = bytes[position++] & 0xff;
      if (c == '"') {
        return out.toByteArray();
      }
      if (c == '\\') {
        if (atEnd() || (peek() != '"' && peek() != '\\')) {
          throw new ImapParseException("a backslash in a quoted string quotes only \" and \\");
        }
        c = bytes[position++];
      } else if (c == '\r' || c == '\n' || c == 0) {
        throw new ImapParseException("CR, LF and NUL are not allowed in a quoted string");
      }
      out.write(c);
    }
  }

  byte[] literal() {
    expect('{');
    long length = number();
    accept('+');
    expect('}');
    expect('\r');
    expect('\n');
    if (length > bytes.length - position) {
      throw new ImapParseException("literal longer than the command");
    }
    byte[] value = java.util.Arrays.copyOfRange(bytes, position, position + (int) length);
    position += (int) length;
    return value;
  }

  /** A number (RFC 9051 {@code number}: up to 2^32-1, and more for {@code number64}). */
  long number() {
    int start = position;
    long value = 0;
    while (!atEnd() && peek() >= '0' && peek() <= '9') {
      if (position - start >= 18) {
        throw new ImapParseException("number too large");
      }
      value = value * 10 + (peek() - '0');
      position++;
    }
    if (position == start) {
      throw new ImapParseException("expected a number" + where());
    }
    return value;
  }

  /** A nonzero number, or {@code *}. */
  long sequenceNumber() {
    if (accept('*')) {
      return SequenceSet.STAR;
    }
    long value = number();
    if (value == 0 || value > 0xffffffffL) {
      throw new ImapParseException("invalid message number " + value);
    }
    return value;
  }

  SequenceSet sequenceSet() {
    java.util.List<SequenceSet.Range> ranges = new java.util.ArrayList<>();
    do {
      long from = sequenceNumber();
      long to = accept(':') ? sequenceNumber() : from;
      ranges.add(new SequenceSet.Range(from, to));
    } while (accept(','));
    return new SequenceSet(ranges);
  }

  private String where() {
    return " at position " + position;
  }
}
