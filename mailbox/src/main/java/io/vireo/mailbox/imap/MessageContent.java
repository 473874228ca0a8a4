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
 * file; part sections are cut from a parse that keeps leaf bodies. The header and the rendered
 * ENVELOPE and BODYSTRUCTURE come from the process's {@link FetchCache} when it has them.
 */
final class MessageContent {
  private final MailFolder folder;
  private final MailMessage message;
  private final FetchCache cache;
  private HeaderFields header;
  /** ENVELOPE, BODY and BODYSTRUCTURE once rendered, kept for this FETCH even if the cache drops them. */
  private byte[] envelope;
  private byte[] body;
  private byte[] bodyStructure;
  private MimePart structure;
  private MimePart withBodies;
  private String searchAll;
  private String searchBody;
  private byte[] searchOctets;
  private int searchBodyStart;

  MessageContent(MailFolder folder, MailMessage message, FetchCache cache) {
    this.folder = folder;
    this.message = message;
    this.cache = cache;
  }

  MailMessage message() {
    return message;
  }

  InputStream open() throws IOException {
    return new BufferedInputStream(folder.open(message), 16384);
  }

  /** The content for callers that read in large blocks themselves (a literal streamed out). */
  InputStream openUnbuffered() throws IOException {
    return folder.open(message);
  }

  HeaderFields header() throws IOException {
    if (header == null) {
      header = cache.header(folder, message);
      if (header == null) {
        // HeaderFields reads in blocks: no buffering stream needed.
        try (InputStream in = folder.open(message)) {
          header = HeaderFields.read(in);
        }
        cache.putHeader(folder, message, header);
      }
    }
    return header;
  }

  /** The ENVELOPE as rendered (RFC 9051 section 7.5.2), without its name. */
  byte[] envelope() throws IOException {
    if (envelope != null) {
      return envelope;
    }
    byte[] rendered = cache.get(folder, message, FetchCache.Kind.ENVELOPE);
    if (rendered == null) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
      ResponseWriter out = ResponseWriter.inMemory(bytes);
      StructureRenderer.envelope(out, header());
      out.flush();
      rendered = bytes.toByteArray();
      cache.put(folder, message, FetchCache.Kind.ENVELOPE, rendered);
    }
    envelope = rendered;
    return rendered;
  }

  /** BODYSTRUCTURE ({@code extensible}) or BODY as rendered, without its name. */
  byte[] bodyStructure(boolean extensible) throws IOException {
    byte[] kept = extensible ? bodyStructure : body;
    if (kept != null) {
      return kept;
    }
    FetchCache.Kind kind = extensible ? FetchCache.Kind.BODYSTRUCTURE : FetchCache.Kind.BODY;
    byte[] rendered = cache.get(folder, message, kind);
    if (rendered == null) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
      ResponseWriter out = ResponseWriter.inMemory(bytes);
      StructureRenderer.body(out, structure(), extensible);
      out.flush();
      rendered = bytes.toByteArray();
      cache.put(folder, message, kind, rendered);
    }
    if (extensible) {
      bodyStructure = rendered;
    } else {
      body = rendered;
    }
    return rendered;
  }

  /**
   * The text SEARCH's BODY (header excluded) and TEXT keys look in: the first {@code max} octets as
   * UTF-8, lower-cased; read once.
   */
  String searchText(boolean withHeader, int max) throws IOException {
    if (searchAll == null) {
      try (InputStream in = open()) {
        searchAll = new String(in.readNBytes(max), StandardCharsets.UTF_8).toLowerCase(java.util.Locale.ROOT);
      }
      int split = searchAll.indexOf("\r\n\r\n");
      searchBody = split < 0 ? "" : searchAll.substring(split + 4);
    }
    return withHeader ? searchAll : searchBody;
  }

  /**
   * The same text as {@link #searchText} as raw octets (first {@code max}), for a search string in
   * US-ASCII: matched octet by octet with ASCII case folding, nothing decoded.
   */
  boolean containsAscii(boolean withHeader, int max, byte[] lowerAscii) throws IOException {
    if (searchOctets == null) {
      try (InputStream in = openUnbuffered()) {
        searchOctets = in.readNBytes(max);
      }
      int split = indexOf(searchOctets, new byte[] {'\r', '\n', '\r', '\n'});
      searchBodyStart = split < 0 ? searchOctets.length : split + 4;
    }
    return AsciiSearch.contains(searchOctets, withHeader ? 0 : searchBodyStart, lowerAscii);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int k = 0; k < needle.length; k++) {
        if (haystack[i + k] != needle[k]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
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
