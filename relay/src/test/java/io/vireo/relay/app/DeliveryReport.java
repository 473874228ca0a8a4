package io.vireo.relay.app;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A delivery status notification (RFC 3464) as a mail reader sees it, parsed with Jakarta Mail: the
 * {@code multipart/report} with its human-readable part, its {@code message/delivery-status} fields
 * and the returned message or headers.
 *
 * @param contentType the report's Content-Type
 * @param subject the report's Subject
 * @param partTypes the content types of the report's parts, in order
 * @param perMessage the per-message fields of the delivery-status part (Reporting-MTA, ...)
 * @param recipients the per-recipient field groups, in order
 */
record DeliveryReport(
    String contentType,
    String subject,
    List<String> partTypes,
    InternetHeaders perMessage,
    List<RecipientFields> recipients) {

  /** One per-recipient group (RFC 3464 section 2.3). */
  record RecipientFields(InternetHeaders fields) {
    /** The address of Final-Recipient, without its address type ({@code rfc822;}). */
    String finalRecipient() {
      String value = field("Final-Recipient");
      return value.substring(value.indexOf(';') + 1).strip();
    }

    String action() {
      return field("Action");
    }

    String status() {
      return field("Status");
    }

    String diagnosticCode() {
      return field("Diagnostic-Code");
    }

    String field(String name) {
      return DeliveryReport.field(fields, name);
    }
  }

  static DeliveryReport parse(byte[] message) throws MessagingException, IOException {
    MimeMessage mime =
        new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(message));
    if (!mime.isMimeType("multipart/report")) {
      throw new IllegalArgumentException("not a multipart/report: " + mime.getContentType());
    }
    Multipart parts = (Multipart) mime.getContent();
    List<String> types = new ArrayList<>();
    BodyPart status = null;
    for (int i = 0; i < parts.getCount(); i++) {
      BodyPart part = parts.getBodyPart(i);
      types.add(part.getContentType());
      if (status == null && part.isMimeType("message/delivery-status")) {
        status = part;
      }
    }
    if (status == null) {
      throw new IllegalArgumentException("no message/delivery-status part in " + types);
    }
    try (InputStream in = status.getInputStream()) {
      // The fields are header-like groups separated by blank lines (RFC 3464 section 2.1).
      InternetHeaders perMessage = new InternetHeaders(in);
      List<RecipientFields> recipients = new ArrayList<>();
      while (true) {
        InternetHeaders group = new InternetHeaders(in);
        if (!group.getAllHeaders().hasMoreElements()) {
          break;
        }
        recipients.add(new RecipientFields(group));
      }
      return new DeliveryReport(
          mime.getContentType(), mime.getSubject(), List.copyOf(types), perMessage, recipients);
    }
  }

  /** A per-message field's value, unfolded; empty when it is missing. */
  String messageField(String name) {
    return field(perMessage, name);
  }

  /** The only per-recipient group; fails when there is not exactly one. */
  RecipientFields onlyRecipient() {
    if (recipients.size() != 1) {
      throw new AssertionError("expected one recipient group, found " + recipients.size());
    }
    return recipients.getFirst();
  }

  private static String field(InternetHeaders fields, String name) {
    String value = fields.getHeader(name, " ");
    return value == null ? "" : value.replaceAll("\r?\n[ \t]+", " ").strip();
  }
}
