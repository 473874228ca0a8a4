package io.vireo.relay.dkim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The header fields of a message (RFC 5322 section 2.2), each with its folding kept, read from the
 * header section's octets (one char per octet, so nothing is lost).
 *
 * @param fields in message order
 */
record HeaderFields(List<Field> fields) {
  /**
   * One field.
   *
   * @param name as written, before the colon
   * @param value everything after the colon, folding CRLFs included, without the final CRLF
   */
  record Field(String name, String value) {
    boolean is(String other) {
      return name.equalsIgnoreCase(other);
    }
  }

  static HeaderFields parse(byte[] section) {
    String text = new String(section, StandardCharsets.ISO_8859_1);
    List<Field> fields = new ArrayList<>();
    StringBuilder current = null;
    for (String line : text.split("\r\n", -1)) {
      if (!line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t') && current != null) {
        current.append("\r\n").append(line);
        continue;
      }
      if (current != null) {
        fields.add(field(current.toString()));
        current = null;
      }
      if (line.indexOf(':') > 0) {
        current = new StringBuilder(line);
      }
    }
    if (current != null) {
      fields.add(field(current.toString()));
    }
    return new HeaderFields(List.copyOf(fields));
  }

  private static Field field(String raw) {
    int colon = raw.indexOf(':');
    return new Field(raw.substring(0, colon), raw.substring(colon + 1));
  }

  List<Field> named(String name) {
    return fields.stream().filter(field -> field.is(name)).toList();
  }

  /**
   * RFC 6376 section 3.4.2, "relaxed" header canonicalisation: lower-case name, no whitespace
   * around the colon, the value unfolded, runs of space and tab made one space, none at either end.
   */
  static String relaxed(String name, String value) {
    String unfolded = value.replace("\r\n", "");
    StringBuilder out = new StringBuilder(unfolded.length());
    boolean space = false;
    for (int i = 0; i < unfolded.length(); i++) {
      char c = unfolded.charAt(i);
      if (c == ' ' || c == '\t') {
        space = true;
      } else {
        if (space && !out.isEmpty()) {
          out.append(' ');
        }
        space = false;
        out.append(c);
      }
    }
    return trimWsp(name).toLowerCase(Locale.ROOT) + ":" + out;
  }

  private static String trimWsp(String text) {
    int end = text.length();
    while (end > 0 && (text.charAt(end - 1) == ' ' || text.charAt(end - 1) == '\t')) {
      end--;
    }
    return text.substring(0, end);
  }
}
