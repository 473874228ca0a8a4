package io.vireo.mailbox.imap;

import java.util.List;

/**
 * A body section of {@code BODY[...]} (RFC 9051 section 6.4.5): a part path ({@code 1.2}; empty for
 * the whole message) and what of it.
 *
 * @param part part numbers from the top; empty for the message itself
 * @param text which piece of that part
 * @param fields header field names for HEADER.FIELDS and HEADER.FIELDS.NOT
 */
public record Section(List<Integer> part, Text text, List<String> fields) {
  /** What piece of the part the section names. */
  public enum Text {
    /** The whole part (or the whole message). */
    ALL,
    HEADER,
    HEADER_FIELDS,
    HEADER_FIELDS_NOT,
    TEXT,
    MIME
  }

  public Section {
    part = List.copyOf(part);
    fields = List.copyOf(fields);
  }

  /** How the section is named in a FETCH response: as requested, without PEEK or the partial. */
  public String render() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < part.size(); i++) {
      if (i > 0) {
        out.append('.');
      }
      out.append(part.get(i));
    }
    if (text != Text.ALL) {
      if (!part.isEmpty()) {
        out.append('.');
      }
      out.append(
          switch (text) {
            case HEADER -> "HEADER";
            case HEADER_FIELDS -> "HEADER.FIELDS";
            case HEADER_FIELDS_NOT -> "HEADER.FIELDS.NOT";
            case TEXT -> "TEXT";
            case MIME -> "MIME";
            case ALL -> "";
          });
      if (text == Text.HEADER_FIELDS || text == Text.HEADER_FIELDS_NOT) {
        out.append(" (").append(String.join(" ", fields)).append(')');
      }
    }
    return out.toString();
  }
}
