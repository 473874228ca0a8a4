package io.vireo.mailbox.imap;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.james.mime4j.dom.Header;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;

/**
 * A message header: its raw octets and its fields, as mime4j reads them (parsed on first use).
 * Safe to share between sessions ({@link FetchCache}): the fields are published through a volatile
 * field and never changed.
 */
final class HeaderFields {
  /** Headers larger than this are cut: a header is read whole into memory. */
  static final int MAX_HEADER = 1024 * 1024;

  private static final Pattern FOLD = Pattern.compile("\r?\n(?=[ \t])");

  private final byte[] raw;
  private volatile List<Field> fields;

  HeaderFields(byte[] raw) {
    this.raw = raw;
  }

  /**
   * Reads the header from the start of a message: up to and including the empty line. Reads in
   * blocks (the rest of the last block is dropped): the caller closes the stream afterwards.
   */
  static HeaderFields read(InputStream message) throws IOException {
    byte[] header = new byte[4096];
    int length = 0;
    int previous = -1;
    int beforePrevious = -1;
    while (length < MAX_HEADER) {
      if (length == header.length) {
        header = Arrays.copyOf(header, Math.min(MAX_HEADER, header.length * 2));
      }
      int n = message.read(header, length, header.length - length);
      if (n < 0) {
        break;
      }
      for (int i = length; i < length + n; i++) {
        int c = header[i] & 0xff;
        if (c == '\n' && (previous == '\n' || (previous == '\r' && beforePrevious == '\n'))) {
          return new HeaderFields(Arrays.copyOf(header, i + 1));
        }
        if (i == 1 && c == '\n' && previous == '\r') {
          return new HeaderFields(Arrays.copyOf(header, 2)); // no header: the message starts with the empty line
        }
        beforePrevious = previous;
        previous = c;
      }
      length += n;
    }
    return new HeaderFields(Arrays.copyOf(header, length));
  }

  byte[] raw() {
    return raw;
  }

  List<Field> fields() {
    List<Field> parsed = fields;
    if (parsed == null) {
      DefaultMessageBuilder builder = new DefaultMessageBuilder();
      builder.setMimeEntityConfig(MimeConfig.PERMISSIVE);
      try {
        Header header = builder.parseHeader(new ByteArrayInputStream(raw));
        parsed = List.copyOf(header.getFields());
      } catch (IOException | RuntimeException e) {
        parsed = List.of();
      }
      fields = parsed;
    }
    return parsed;
  }

  /** The first field of this name, unfolded (RFC 5322 section 2.2.3), or null. */
  String value(String name) {
    for (Field field : fields()) {
      if (field.getName().equalsIgnoreCase(name)) {
        return unfold(field.getBody());
      }
    }
    return null;
  }

  /** Every value of fields of this name, unfolded. */
  List<String> values(String name) {
    return fields().stream()
        .filter(field -> field.getName().equalsIgnoreCase(name))
        .map(field -> unfold(field.getBody()))
        .toList();
  }

  /** HEADER.FIELDS (or .NOT): the raw fields named (or not), then the empty line. */
  byte[] select(List<String> names, boolean not) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Field field : fields()) {
      boolean named = names.contains(field.getName().toUpperCase(Locale.ROOT));
      if (named != not) {
        byte[] bytes = field.getRaw().toByteArray();
        out.write(bytes, 0, bytes.length);
        out.write('\r');
        out.write('\n');
      }
    }
    out.write('\r');
    out.write('\n');
    return out.toByteArray();
  }

  static String unfold(String value) {
    if (value == null) {
      return null;
    }
    return value.indexOf('\n') < 0 ? value.strip() : FOLD.matcher(value).replaceAll("").strip();
  }
}
