package io.vireo.mailbox.imap;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import org.apache.james.mime4j.dom.Header;
import org.apache.james.mime4j.message.DefaultMessageBuilder;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;

/** A message header: its raw octets and its fields, as mime4j reads them. */
final class HeaderFields {
  /** Headers larger than this are cut: a header is read whole into memory. */
  static final int MAX_HEADER = 1024 * 1024;

  private final byte[] raw;
  private List<Field> fields;

  HeaderFields(byte[] raw) {
    this.raw = raw;
  }

  /** Reads the header from the start of a message: up to and including the empty line. */
  static HeaderFields read(InputStream message) throws IOException {
    ByteArrayOutputStream header = new ByteArrayOutputStream(2048);
    int previous = -1;
    int beforePrevious = -1;
    int c;
    while (header.size() < MAX_HEADER && (c = message.read()) >= 0) {
      header.write(c);
      if (c == '\n' && (previous == '\n' || (previous == '\r' && beforePrevious == '\n'))) {
        break;
      }
      if (header.size() == 2 && c == '\n' && previous == '\r') {
        break; // no header at all: the message starts with the empty line
      }
      beforePrevious = previous;
      previous = c;
    }
    return new HeaderFields(header.toByteArray());
  }

  byte[] raw() {
    return raw;
  }

  List<Field> fields() {
    if (fields == null) {
      DefaultMessageBuilder builder = new DefaultMessageBuilder();
      builder.setMimeEntityConfig(MimeConfig.PERMISSIVE);
      try {
        Header header = builder.parseHeader(new ByteArrayInputStream(raw));
        fields = header.getFields();
      } catch (IOException | RuntimeException e) {
        fields = List.of();
      }
    }
    return fields;
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
    return value == null ? null : value.replaceAll("\r?\n(?=[ \t])", "").strip();
  }
}
