package io.vireo.mailbox.imap;

import io.vireo.mailbox.store.MailFolder;
import io.vireo.mailbox.store.MailMessage;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * One message's content for one FETCH or SEARCH: the header, read once; the MIME structure, parsed
 * once and only when asked for; and body sections. Whole-message and TEXT fetches stream from the
 * file; part sections are cut from a parse that keeps leaf bodies.
 */
final class MessageContent {
  private final MailFolder folder;
  private final MailMessage message;
  private HeaderFields header;
  private MimePart structure;
  private MimePart withBodies;

  MessageContent(MailFolder folder, MailMessage message) {
    this.folder = folder;
    this.message = message;
  }

  MailMessage message() {
    return message;
  }

  InputStream open() throws IOException {
    return new BufferedInputStream(folder.open(message), 16384);
  }

  HeaderFields header() throws IOException {
    if (header == null) {
      try (InputStream in = open()) {
        header = HeaderFields.read(in);
      }
    }
    return header;
  }

  MimePart structure() throws IOException {
    if (structure == null) {
      if (withBodies != null) {
        return withBodies;
      }
      try (InputStream in = open()) {
        structure = MimeParser.parse(in, false);
      }
    }
    return structure;
  }

  private MimePart withBodies() throws IOException {
    if (withBodies == null) {
      try (InputStream in = open()) {
        withBodies = MimeParser.parse(in, true);
      }
    }
    return withBodies;
  }

  /** A section's octets for a part path (section 6.4.5); empty when there is no such part. */
  byte[] partSection(Section section) throws IOException {
    MimePart part = withBodies().find(section.part());
    if (part == null) {
      return new byte[0];
    }
    return switch (section.text()) {
      case ALL -> bodyOf(part);
      case MIME -> part.header();
      case HEADER, HEADER_FIELDS, HEADER_FIELDS_NOT, TEXT -> {
        MimePart inner = part.rfc822() ? part.message() : part;
        yield switch (section.text()) {
          case HEADER -> inner.header();
          case TEXT -> bodyOf(inner);
          default ->
              new HeaderFields(inner.header())
                  .select(section.fields(), section.text() == Section.Text.HEADER_FIELDS_NOT);
        };
      }
    };
  }

  /**
   * A part's body. A multipart's is put back together from its parts and boundary (mime4j hands
   * out parts, not the octets between them); preamble and epilogue are not kept.
   */
  private static byte[] bodyOf(MimePart part) {
    if (!part.multipart()) {
      return part.body();
    }
    String boundary = part.parameters().getOrDefault("boundary", "");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] delimiter = ("--" + boundary + "\r\n").getBytes(StandardCharsets.US_ASCII);
    for (MimePart child : part.parts()) {
      out.writeBytes(delimiter);
      out.writeBytes(child.header());
      out.writeBytes(bodyOf(child));
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }
}
