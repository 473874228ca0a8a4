package io.vireo.mailbox.imap;

import io.vireo.mailbox.store.Flag;
import io.vireo.mailbox.store.MailMessage;
import java.io.IOException;
import java.io.InputStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Writes one {@code * n FETCH (...)} response (RFC 9051 section 7.5.2). */
final class FetchRenderer {
  static final DateTimeFormatter INTERNAL_DATE =
      DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);

  private FetchRenderer() {}

  /**
   * @param withUid adds UID when the command was a UID command and UID was not asked for (RFC 9051
   *     section 6.4.9: UID FETCH responses always carry it)
   */
  static void render(
      ResponseWriter out, long sequence, MessageContent content, List<FetchAttribute> attributes, boolean withUid)
      throws IOException {
    MailMessage message = content.message();
    out.text("* ").number(sequence).text(" FETCH (");
    boolean first = true;
    if (withUid && attributes.stream().noneMatch(a -> a instanceof FetchAttribute.Uid)) {
      out.text("UID ").number(message.uid());
      first = false;
    }
    for (FetchAttribute attribute : attributes) {
      if (!first) {
        out.text(" ");
      }
      first = false;
      switch (attribute) {
        case FetchAttribute.Flags f -> out.text("FLAGS ").text(flags(message.flags()));
        case FetchAttribute.Uid u -> out.text("UID ").number(message.uid());
        case FetchAttribute.InternalDate d ->
            out.text("INTERNALDATE \"").text(INTERNAL_DATE.format(message.internalDate())).text("\"");
        case FetchAttribute.Rfc822Size s -> out.text("RFC822.SIZE ").number(message.size());
        case FetchAttribute.ModSeq m -> out.text("MODSEQ (").number(message.modSeq()).text(")");
        case FetchAttribute.Envelope e -> {
          out.text("ENVELOPE ").raw(content.envelope());
        }
        case FetchAttribute.BodyStructure b -> {
          out.text(b.extensible() ? "BODYSTRUCTURE " : "BODY ").raw(content.bodyStructure(b.extensible()));
        }
        case FetchAttribute.Body body -> body(out, content, body);
      }
    }
    out.text(")").crlf();
  }

  /** The flag list, system flags in the store's order. */
  static String flags(Set<Flag> flags) {
    StringBuilder text = new StringBuilder("(");
    for (Flag flag : Flag.values()) {
      if (flags.contains(flag)) {
        text.append(text.length() > 1 ? " " : "").append(flag.imapName());
      }
    }
    return text.append(')').toString();
  }

  private static void body(ResponseWriter out, MessageContent content, FetchAttribute.Body body)
      throws IOException {
    Section section = body.section();
    if (body.legacyName() != null) {
      out.text(body.legacyName()).text(" ");
    } else {
      out.text("BODY[").text(section.render()).text("]");
      if (body.offset() >= 0) {
        out.text("<").number(body.offset()).text(">");
      }
      out.text(" ");
    }
    if (section.part().isEmpty() && (section.text() == Section.Text.ALL || section.text() == Section.Text.TEXT)) {
      long skip = section.text() == Section.Text.TEXT ? content.header().raw().length : 0;
      long length = Math.max(0, content.message().size() - skip);
      streamed(out, content, skip, length, body);
      return;
    }
    byte[] bytes =
        switch (section.text()) {
          case HEADER -> section.part().isEmpty() ? content.header().raw() : content.partSection(section);
          case HEADER_FIELDS, HEADER_FIELDS_NOT ->
              section.part().isEmpty()
                  ? content.header().select(section.fields(), section.text() == Section.Text.HEADER_FIELDS_NOT)
                  : content.partSection(section);
          default -> content.partSection(section);
        };
    if (body.offset() >= 0) {
      int from = (int) Math.min(bytes.length, body.offset());
      int to = (int) Math.min(bytes.length, from + body.count());
      bytes = Arrays.copyOfRange(bytes, from, to);
    }
    out.literal(bytes);
  }

  /** The whole message or its text, from the file, with a partial applied by skipping. */
  private static void streamed(
      ResponseWriter out, MessageContent content, long skip, long length, FetchAttribute.Body body)
      throws IOException {
    long from = 0;
    long count = length;
    if (body.offset() >= 0) {
      from = Math.min(length, body.offset());
      count = Math.min(length - from, body.count());
    }
    try (InputStream in = content.openUnbuffered()) {
      long toSkip = skip + from;
      // skip() may stop short; read() tells the end of a file shorter than it was said to be, and
      // the literal is then padded (ResponseWriter) rather than the session failing.
      while (toSkip > 0) {
        long n = in.skip(toSkip);
        if (n <= 0) {
          if (in.read() < 0) {
            break;
          }
          n = 1;
        }
        toSkip -= n;
      }
      out.literal(count, in);
    }
  }
}
