package io.vireo.mailbox.imap;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.apache.james.mime4j.codec.EncoderUtil;
import org.apache.james.mime4j.dom.address.Address;
import org.apache.james.mime4j.dom.address.AddressList;
import org.apache.james.mime4j.dom.address.Group;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.field.address.LenientAddressParser;

/** Writes ENVELOPE and BODYSTRUCTURE / BODY (RFC 9051 sections 7.5.2 and 9). */
final class StructureRenderer {
  private StructureRenderer() {}

  /** {@code envelope}: date, subject, from, sender, reply-to, to, cc, bcc, in-reply-to, message-id. */
  static void envelope(ResponseWriter out, HeaderFields header) throws IOException {
    out.text("(");
    out.nstring(header.value("Date")).text(" ");
    out.nstring(header.value("Subject")).text(" ");
    String from = header.value("From");
    addresses(out, from);
    out.text(" ");
    // RFC 9051 section 7.5.2: an absent or empty Sender or Reply-To is the From value.
    addresses(out, blank(header.value("Sender")) ? from : header.value("Sender"));
    out.text(" ");
    addresses(out, blank(header.value("Reply-To")) ? from : header.value("Reply-To"));
    for (String field : List.of("To", "Cc", "Bcc")) {
      out.text(" ");
      addresses(out, header.value(field));
    }
    out.text(" ");
    out.nstring(header.value("In-Reply-To")).text(" ");
    out.nstring(header.value("Message-ID"));
    out.text(")");
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }

  private static void addresses(ResponseWriter out, String value) throws IOException {
    AddressList list = blank(value) ? null : LenientAddressParser.DEFAULT.parseAddressList(value);
    if (list == null || list.isEmpty()) {
      out.text("NIL");
      return;
    }
    out.text("(");
    for (Address address : list) {
      if (address instanceof Mailbox mailbox) {
        mailbox(out, mailbox);
      } else if (address instanceof Group group) {
        // A group: a start marker with the group's name, its members, an end marker (section 7.5.2).
        out.text("(NIL NIL ").string(group.getName()).text(" NIL)");
        for (Mailbox member : group.getMailboxes()) {
          mailbox(out, member);
        }
        out.text("(NIL NIL NIL NIL)");
      }
    }
    out.text(")");
  }

  private static void mailbox(ResponseWriter out, Mailbox mailbox) throws IOException {
    String name = mailbox.getName();
    if (name != null && EncoderUtil.hasToBeEncoded(name, 0)) {
      name = EncoderUtil.encodeEncodedWord(name, EncoderUtil.Usage.TEXT_TOKEN);
    }
    out.text("(").nstring(name).text(" NIL ");
    out.nstring(mailbox.getLocalPart()).text(" ");
    out.nstring(mailbox.getDomain()).text(")");
  }

  /** {@code body}: BODYSTRUCTURE with extension data, or BODY without. */
  static void body(ResponseWriter out, MimePart part, boolean extensible) throws IOException {
    out.text("(");
    if (part.multipart()) {
      for (MimePart child : part.parts()) {
        body(out, child, extensible);
      }
      out.text(" ").string(part.subtype());
      if (extensible) {
        out.text(" ");
        parameters(out, part.parameters());
        out.text(" ");
        extension(out, part);
      }
    } else {
      out.string(part.type()).text(" ").string(part.subtype()).text(" ");
      parameters(out, part.parameters());
      out.text(" ").nstring(part.id()).text(" ").nstring(part.description());
      out.text(" ").string(part.encoding().toUpperCase(java.util.Locale.ROOT)).text(" ").number(part.size());
      if (part.rfc822()) {
        out.text(" ");
        envelope(out, new HeaderFields(part.message().header()));
        out.text(" ");
        body(out, part.message(), extensible);
        out.text(" ").number(part.lines());
      } else if (part.type().equalsIgnoreCase("text")) {
        out.text(" ").number(part.lines());
      }
      if (extensible) {
        out.text(" ").nstring(part.md5()).text(" ");
        extension(out, part);
      }
    }
    out.text(")");
  }

  /** Disposition, language and location, common to both kinds of body. */
  private static void extension(ResponseWriter out, MimePart part) throws IOException {
    if (part.disposition() == null) {
      out.text("NIL");
    } else {
      out.text("(").string(part.disposition()).text(" ");
      parameters(out, part.dispositionParameters());
      out.text(")");
    }
    out.text(" ");
    if (part.language().isEmpty()) {
      out.text("NIL");
    } else {
      out.text("(");
      for (int i = 0; i < part.language().size(); i++) {
        out.text(i > 0 ? " " : "").string(part.language().get(i));
      }
      out.text(")");
    }
    out.text(" ").nstring(part.location());
  }

  private static void parameters(ResponseWriter out, Map<String, String> parameters) throws IOException {
    if (parameters.isEmpty()) {
      out.text("NIL");
      return;
    }
    out.text("(");
    boolean first = true;
    for (Map.Entry<String, String> parameter : new java.util.TreeMap<>(parameters).entrySet()) {
      out.text(first ? "" : " ").string(parameter.getKey().toUpperCase(java.util.Locale.ROOT));
      out.text(" ").string(parameter.getValue() == null ? "" : parameter.getValue());
      first = false;
    }
    out.text(")");
  }
}
