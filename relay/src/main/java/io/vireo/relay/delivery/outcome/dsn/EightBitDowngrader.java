package io.vireo.relay.delivery.outcome.dsn;

import io.vireo.queue.MessageContent;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.internet.ParseException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Converts a message with 8-bit content to 7-bit MIME for a next hop that lacks 8BITMIME (RFC 6152
 * section 3: the relay must convert or return the message).
 *
 * <p>Each leaf part whose body has octets above 127 (or lines over 998 octets) is re-encoded:
 * quoted-printable for {@code text/*}, base64 for everything else, with its
 * Content-Transfer-Encoding header rewritten. Multiparts and {@code message/rfc822} are walked
 * recursively, and their 8bit/binary labels become 7bit (RFC 2045 section 6.4). Every other byte
 * (headers, boundaries, preambles, epilogues, untouched parts) is copied exactly, which is why the
 * structure is walked here rather than re-serialized by Jakarta Mail; Jakarta Mail parses the
 * header fields and Content-Type parameters and supplies the encoders.
 *
 * <p>Not convertible: 8-bit octets in any header (RFC 2047 encoding is not attempted, as it could
 * change addresses), in a preamble or epilogue, in a part already labelled quoted-printable or
 * base64, or in a {@code message/*} type that RFC 2046 section 5.2 forbids encoding. The caller
 * then bounces with 5.6.3.
 *
 * <p>Works on one in-memory copy of the message. Thread-safe: holds no state.
 */
public final class EightBitDowngrader {
  private static final int MAX_DEPTH = 32;
  private static final byte[] EMPTY_LINE = {'\r', '\n', '\r', '\n'};

  /** Whether any octet of {@code content} is above 127, i.e. it needs 8BITMIME as it is. */
  public static boolean is8Bit(MessageContent content) {
    for (ByteBuffer chunk : content.chunks()) {
      while (chunk.hasRemaining()) {
        if (chunk.get() < 0) {
          return true;
        }
      }
    }
    return false;
  }

  /** Converts {@code content} to 7-bit, or says why it cannot be. */
  public DowngradeResult downgrade(MessageContent content) {
    if (!is8Bit(content)) {
      return new DowngradeResult.Unchanged();
    }
    byte[] message = content.toByteArray();
    ContentOutputStream out = new ContentOutputStream();
    try {
      new Walk(message, out).entity(0, message.length, "text/plain", 0);
    } catch (NotConvertible e) {
      return new DowngradeResult.Impossible(e.getMessage());
    }
    MessageContent converted = out.toContent();
    if (OctetScan.classify(converted) != OctetScan.Kind.SEVEN_BIT) {
      return new DowngradeResult.Impossible(
          "lines over 998 octets or bare CR/LF outside any part that can be re-encoded");
    }
    return new DowngradeResult.Converted(converted);
  }

  /** Why a message cannot be converted; control flow inside one conversion only. */
  private static final class NotConvertible extends Exception {
    NotConvertible(String reason) {
      super(reason, null, false, false);
    }
  }

  /** One header field's raw bytes, its continuation lines included. */
  private record Field(String lowerName, int start, int end) {

    /** Splits a header block into fields at lines that do not start with SP or HTAB. */
    static List<Field> split(byte[] in, int start, int end) {
      List<Field> fields = new ArrayList<>();
      int fieldStart = start;
      int lineStart = start;
      while (lineStart < end) {
        int next = nextLineStart(in, lineStart, end);
        if (next < end && in[next] != ' ' && in[next] != '\t') {
          fields.add(of(in, fieldStart, next));
          fieldStart = next;
        }
        lineStart = next;
      }
      if (fieldStart < end) {
        fields.add(of(in, fieldStart, end));
      }
      return fields;
    }

    private static Field of(byte[] in, int start, int end) {
      int colon = start;
      while (colon < end && in[colon] != ':' && in[colon] != '\r') {
        colon++;
      }
      String name = new String(in, start, colon - start, StandardCharsets.US_ASCII);
      return new Field(name.strip().toLowerCase(Locale.ROOT), start, end);
    }
  }

  /** One conversion: reads the original bytes, writes the converted ones. */
  private static final class Walk {
    private final byte[] in;
    private final OutputStream out;

    Walk(byte[] in, OutputStream out) {
      this.in = in;
      this.out = out;
    }

    /** Converts the entity (header, empty line, body) in {@code in[start, end)}. */
    void entity(int start, int end, String defaultType, int depth) throws NotConvertible {
      if (depth > MAX_DEPTH) {
        throw new NotConvertible("MIME structure nested deeper than " + MAX_DEPTH + " levels");
      }
      int headerEnd;
      int bodyStart;
      if (end - start >= 2 && in[start] == '\r' && in[start + 1] == '\n') {
        headerEnd = start; // no header fields at all (RFC 2045 section 5.2 defaults apply)
        bodyStart = start + 2;
      } else {
        int emptyLine = indexOf(EMPTY_LINE, start, end);
        headerEnd = emptyLine < 0 ? end : emptyLine + 2;
        bodyStart = emptyLine < 0 ? end : emptyLine + 4;
      }
      if (OctetScan.hasHighBit(in, start, headerEnd)) {
        throw new NotConvertible(
            depth == 0
                ? "8-bit octets in the message header (RFC 2047 encoding is not attempted)"
                : "8-bit octets in a MIME part header");
      }
      if (OctetScan.isSevenBit(in, bodyStart, end)) {
        write(start, end);
        return;
      }
      List<Field> fields = Field.split(in, start, headerEnd);
      InternetHeaders headers = parseHeaders(start, headerEnd);
      String encoding = headerValue(headers, "Content-Transfer-Encoding");
      encoding = encoding == null ? "7bit" : encoding.toLowerCase(Locale.ROOT);
      boolean identity =
          encoding.equals("7bit") || encoding.equals("8bit") || encoding.equals("binary");
      ContentType type = contentType(headerValue(headers, "Content-Type"), defaultType);
      // An identity label other than 7bit no longer fits once the content is 7-bit.
      String relabel =
          hasField(fields, "content-transfer-encoding") && !encoding.equals("7bit") ? "7bit" : null;

      if (type.match("multipart/*")) {
        if (!identity) {
          throw new NotConvertible("a multipart labelled " + encoding + " (RFC 2045 section 6.4)");
        }
        String boundary = type.getParameter("boundary");
        if (boundary == null || boundary.isEmpty()) {
          throw new NotConvertible("a multipart without a boundary parameter");
        }
        writeHeader(fields, start, headerEnd, relabel, false);
        write(headerEnd, bodyStart);
        String childType = type.match("multipart/digest") ? "message/rfc822" : "text/plain";
        multipart(bodyStart, end, boundary, childType, depth);
      } else if (type.match("message/rfc822")) {
        if (!identity) {
          throw new NotConvertible("message/rfc822 labelled " + encoding + " (RFC 2046 5.2.1)");
        }
        writeHeader(fields, start, headerEnd, relabel, false);
        write(headerEnd, bodyStart);
        entity(bodyStart, end, "text/plain", depth + 1);
      } else if (type.getPrimaryType().equalsIgnoreCase("message")
          && !type.match("message/global")) {
        // message/global may be encoded (RFC 6532 section 3.5); partial and external-body not.
        throw new NotConvertible(
            "8-bit content in "
                + type.getBaseType()
                + ", which must not be encoded (RFC 2046 5.2)");
      } else {
        if (!identity) {
          throw new NotConvertible("8-bit octets in a part labelled " + encoding);
        }
        String target =
            type.getPrimaryType().equalsIgnoreCase("text") ? "quoted-printable" : "base64";
        writeHeader(fields, start, headerEnd, target, depth == 0);
        write(headerEnd, bodyStart);
        encode(bodyStart, end, target);
      }
    }

    /**
     * Converts the parts of a multipart body in {@code in[from, to)}. The CRLF before each
     * delimiter belongs to the delimiter (RFC 2046 section 5.1.1), so a part ends before it.
     */
    private void multipart(int from, int to, String boundary, String childType, int depth)
        throws NotConvertible {
      byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
      int next = nextDelimiter(delimiter, from, to);
      if (next < 0) {
        throw new NotConvertible("a multipart body without its boundary delimiter");
      }
      if (OctetScan.hasHighBit(in, from, next)) {
        throw new NotConvertible("8-bit octets in a multipart preamble");
      }
      write(from, next);
      // Each pass moves past one delimiter line, so the loop ends within the body's length.
      while (true) {
        int lineEnd = indexOf(new byte[] {'\r', '\n'}, next, to);
        int afterLine = lineEnd < 0 ? to : lineEnd + 2;
        boolean close = isCloseDelimiter(delimiter, next);
        write(next, afterLine);
        if (close) {
          if (OctetScan.hasHighBit(in, afterLine, to)) {
            throw new NotConvertible("8-bit octets in a multipart epilogue");
          }
          write(afterLine, to);
          return;
        }
        if (afterLine >= to) {
          return;
        }
        next = nextDelimiter(delimiter, afterLine, to);
        if (next < 0) {
          // No close delimiter: the last part runs to the end, as lenient readers take it.
          entity(afterLine, to, childType, depth + 1);
          return;
        }
        int partEnd = next == afterLine ? afterLine : next - 2;
        entity(afterLine, partEnd, childType, depth + 1);
        write(partEnd, next);
      }
    }

    /**
     * Writes the header fields with Content-Transfer-Encoding set to {@code encoding} (in place of
     * the first such field, or appended), or unchanged when {@code encoding} is null. For a
     * top-level non-MIME message, MIME-Version and a Content-Type (RFC 1428 unknown-8bit) are added
     * so the new encoding label means something (RFC 2045 section 4).
     */
    private void writeHeader(
        List<Field> fields, int start, int end, String encoding, boolean topLevel)
        throws NotConvertible {
      if (encoding == null) {
        write(start, end);
        return;
      }
      boolean replaced = false;
      for (Field field : fields) {
        if (field.lowerName().equals("content-transfer-encoding")) {
          if (!replaced) {
            writeAscii("Content-Transfer-Encoding: " + encoding + "\r\n");
            replaced = true;
          }
          continue;
        }
        write(field.start(), field.end());
      }
      if (topLevel && !hasField(fields, "mime-version")) {
        writeAscii("MIME-Version: 1.0\r\n");
      }
      if (topLevel && !hasField(fields, "content-type")) {
        writeAscii("Content-Type: text/plain; charset=unknown-8bit\r\n");
      }
      if (!replaced) {
        writeAscii("Content-Transfer-Encoding: " + encoding + "\r\n");
      }
    }

    private void encode(int from, int to, String encoding) throws NotConvertible {
      try {
        // The encoder's close flushes its last bytes; ContentOutputStream ignores the close.
        OutputStream encoder = MimeUtility.encode(out, encoding);
        encoder.write(in, from, to - from);
        encoder.close();
      } catch (MessagingException e) {
        throw new NotConvertible("no " + encoding + " encoder: " + e.getMessage());
      } catch (IOException e) {
        throw new UncheckedIOException("encoding in memory", e);
      }
    }

    private InternetHeaders parseHeaders(int start, int end) throws NotConvertible {
      // A folded line with no field before it is malformed (RFC 5322 2.2.3), and Jakarta Mail's
      // parser fails on it with an IndexOutOfBoundsException rather than a MessagingException.
      if (start < end && (in[start] == ' ' || in[start] == '\t')) {
        throw new NotConvertible("a header that begins with a folded (continuation) line");
      }
      try {
        return new InternetHeaders(new ByteArrayInputStream(in, start, end - start));
      } catch (MessagingException e) {
        throw new NotConvertible("unreadable header: " + e.getMessage());
      }
    }

    private static String headerValue(InternetHeaders headers, String name) {
      String value = headers.getHeader(name, null);
      return value == null ? null : MimeUtility.unfold(value).strip();
    }

    private static ContentType contentType(String value, String defaultType) throws NotConvertible {
      try {
        return new ContentType(value == null || value.isEmpty() ? defaultType : value);
      } catch (ParseException e) {
        throw new NotConvertible("unparsable Content-Type: " + value);
      }
    }

    private static boolean hasField(List<Field> fields, String lowerName) {
      return fields.stream().anyMatch(field -> field.lowerName().equals(lowerName));
    }

    /** The start of the next line that is a delimiter line for {@code delimiter}, or -1. */
    private int nextDelimiter(byte[] delimiter, int from, int to) {
      int lineStart = from;
      while (lineStart < to) {
        if (isDelimiterLine(delimiter, lineStart, to)) {
          return lineStart;
        }
        lineStart = nextLineStart(in, lineStart, to);
      }
      return -1;
    }

    /** {@code --boundary} or {@code --boundary--}, then only transport padding (RFC 2046 5.1.1). */
    private boolean isDelimiterLine(byte[] delimiter, int at, int to) {
      if (at + delimiter.length > to) {
        return false;
      }
      for (int i = 0; i < delimiter.length; i++) {
        if (in[at + i] != delimiter[i]) {
          return false;
        }
      }
      int i = at + delimiter.length;
      if (i + 1 < to && in[i] == '-' && in[i + 1] == '-') {
        i += 2;
      }
      while (i < to && (in[i] == ' ' || in[i] == '\t')) {
        i++;
      }
      return i == to || (in[i] == '\r' && i + 1 < to && in[i + 1] == '\n');
    }

    private boolean isCloseDelimiter(byte[] delimiter, int at) {
      int i = at + delimiter.length;
      return i + 1 < in.length && in[i] == '-' && in[i + 1] == '-';
    }

    private int indexOf(byte[] needle, int from, int to) {
      outer:
      for (int i = from; i + needle.length <= to; i++) {
        for (int j = 0; j < needle.length; j++) {
          if (in[i + j] != needle[j]) {
            continue outer;
          }
        }
        return i;
      }
      return -1;
    }

    private void write(int from, int to) {
      try {
        out.write(in, from, to - from);
      } catch (IOException e) {
        throw new UncheckedIOException("writing in memory", e);
      }
    }

    private void writeAscii(String text) {
      byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
      try {
        out.write(bytes);
      } catch (IOException e) {
        throw new UncheckedIOException("writing in memory", e);
      }
    }
  }

  /** The index just past the next LF at or after {@code from}, or {@code end}. */
  private static int nextLineStart(byte[] in, int from, int end) {
    for (int i = from; i < end; i++) {
      if (in[i] == '\n') {
        return i + 1;
      }
    }
    return end;
  }
}
