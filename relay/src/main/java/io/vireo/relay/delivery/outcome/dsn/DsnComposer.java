package io.vireo.relay.delivery.outcome.dsn;

import io.vireo.queue.BodyType;
import io.vireo.queue.Envelope;
import io.vireo.queue.MessageContent;
import io.vireo.queue.MessageId;
import io.vireo.queue.MessageIdGenerator;
import io.vireo.queue.Notify;
import io.vireo.queue.Recipient;
import io.vireo.queue.Ret;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.internet.ParameterList;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * Composes delivery status notifications (RFC 3464): a {@code multipart/report;
 * report-type=delivery-status} message from the null sender to the original sender, carrying a
 * human-readable explanation, the machine-readable {@code message/delivery-status} part and the
 * original message's headers (or, with RET=FULL on a failure, the whole original).
 *
 * <p>The MIME structure is assembled with Jakarta Mail; each part's bytes are written here, so the
 * output is CRLF throughout and the Content-Type parameters are exactly the ones RFC 6522 asks for.
 * The result is a plain message: the caller spools it and it is delivered like any other.
 *
 * <p>Thread-safe: holds no mutable state.
 */
public final class DsnComposer {
  /** Originals larger than this are returned as headers only, even with RET=FULL (RFC 3461 6.2). */
  public static final long DEFAULT_MAX_RETURNED_BYTES = 10L * 1024 * 1024;

  /** A header section beyond this is cut at a line boundary: no real header is this long. */
  private static final int MAX_HEADER_BYTES = 512 * 1024;

  /** Remote replies are cut to this many characters; the first line or two are what matters. */
  private static final int MAX_DIAGNOSTIC = 2000;

  private static final int MAX_BOUNDARY_TRIES = 8;

  private final String reportingMta;
  private final MessageIdGenerator ids;
  private final Clock clock;
  private final long maxReturnedBytes;
  private final Session session;

  /**
   * @param reportingMta this relay's host name, used in Reporting-MTA, From and Message-ID
   * @param ids makes the bounce's queue id
   * @param clock the time of the report (Date, arrival of the bounce)
   */
  public DsnComposer(String reportingMta, MessageIdGenerator ids, Clock clock) {
    this(reportingMta, ids, clock, DEFAULT_MAX_RETURNED_BYTES);
  }

  /**
   * @param maxReturnedBytes the largest original returned whole with RET=FULL; larger ones are
   *     returned as headers only, with a note in the text
   */
  public DsnComposer(
      String reportingMta, MessageIdGenerator ids, Clock clock, long maxReturnedBytes) {
    Objects.requireNonNull(reportingMta, "reportingMta");
    if (reportingMta.isBlank() || !reportingMta.matches("[A-Za-z0-9.\\-\\[\\]:]+")) {
      throw new IllegalArgumentException("not a host name: " + reportingMta);
    }
    if (maxReturnedBytes < 0) {
      throw new IllegalArgumentException("maxReturnedBytes must not be negative");
    }
    this.reportingMta = reportingMta;
    this.ids = Objects.requireNonNull(ids, "ids");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxReturnedBytes = maxReturnedBytes;
    Properties properties = new Properties();
    // Only the To: header can need UTF-8 (an SMTPUTF8 sender, RFC 6532); without this Jakarta Mail
    // would write each char's low byte.
    properties.setProperty("mail.mime.allowutf8", "true");
    this.session = Session.getInstance(properties);
  }

  /**
   * The report owed to the sender of {@code original} for {@code reports}, or empty when none is
   * owed: a null sender, or every report filtered out by {@link NotifyPolicy}.
   *
   * @param original the envelope of the message being reported on
   * @param originalContent its content, for the returned headers or message
   * @param reports one per recipient being reported on; several recipients share one report
   */
  public Optional<Bounce> compose(
      Envelope original, MessageContent originalContent, List<RecipientReport> reports) {
    Objects.requireNonNull(original, "original");
    Objects.requireNonNull(originalContent, "originalContent");
    if (original.hasNullSender()) {
      return Optional.empty(); // RFC 3461 section 6.2: never a DSN about a DSN
    }
    List<RecipientReport> owed =
        reports.stream().filter(report -> NotifyPolicy.isOwed(original, report)).toList();
    if (owed.isEmpty()) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    MessageId id = ids.next();
    ReportKind kind = ReportKind.of(owed);
    ReturnedPart returned = returnedPart(original, originalContent, kind);
    byte[] text = humanReadable(original, owed, kind, returned).getBytes(StandardCharsets.UTF_8);
    byte[] status = DsnText.ascii(deliveryStatus(original, owed));

    boolean utf8Sender = !DsnText.isAscii(original.sender());
    BodyType bodyType = returned.bodyType();
    if (utf8Sender && bodyType == BodyType.SEVEN_BIT) {
      bodyType = BodyType.EIGHT_BIT_MIME; // a UTF-8 header is 8-bit content (RFC 6531 section 3.4)
    }
    MessageContent message =
        render(original, id, now, kind, bodyType, textPart(text), statusPart(status), returned);
    Envelope envelope =
        new Envelope(
            id,
            "",
            // NEVER as well as the null sender: a report must not cause a report (RFC 3461 6.2).
            List.of(new Recipient(original.sender(), Set.of(Notify.NEVER), null)),
            bodyType,
            utf8Sender,
            Ret.UNSPECIFIED,
            null,
            now,
            "127.0.0.1",
            reportingMta);
    return Optional.of(new Bounce(envelope, message));
  }

  /** Which of the three kinds of report this is; decides the Subject and the opening text. */
  private enum ReportKind {
    FAILURE("Undelivered Mail Returned to Sender"),
    DELAY("Delayed Mail (still being retried)"),
    SUCCESS("Successful Mail Delivery Report");

    final String subject;

    ReportKind(String subject) {
      this.subject = subject;
    }

    static ReportKind of(List<RecipientReport> reports) {
      if (reports.stream().anyMatch(r -> r.action() == DsnAction.FAILED)) {
        return FAILURE;
      }
      if (reports.stream().anyMatch(r -> r.action() == DsnAction.DELAYED)) {
        return DELAY;
      }
      return SUCCESS;
    }
  }

  /** The third part: what the report returns of the original, already transfer-encoded. */
  private record ReturnedPart(
      String contentType,
      String transferEncoding,
      String description,
      byte[] body,
      BodyType bodyType,
      boolean wholeMessage,
      String note) {}

  /**
   * RFC 3461 section 4.3: RET=FULL asks for the whole message in a failure report; HDRS, no RET,
   * and delay or success reports carry the headers only. RFC 6533 section 3: an SMTPUTF8 message
   * whose headers hold UTF-8 is returned as message/global or message/global-headers.
   */
  private ReturnedPart returnedPart(Envelope original, MessageContent content, ReportKind kind) {
    HeaderSection headers = HeaderSection.of(content, MAX_HEADER_BYTES);
    boolean utf8Headers =
        original.smtpUtf8() && OctetScan.hasHighBit(headers.bytes(), 0, headers.bytes().length);
    boolean wantFull = original.ret() == Ret.FULL && kind == ReportKind.FAILURE;
    if (wantFull && content.size() <= maxReturnedBytes) {
      return switch (OctetScan.classify(content)) {
        case SEVEN_BIT -> fullPart(utf8Headers, "7bit", content, BodyType.SEVEN_BIT);
        case EIGHT_BIT -> fullPart(utf8Headers, "8bit", content, BodyType.EIGHT_BIT_MIME);
        case BINARY -> fullPart(utf8Headers, "binary", content, BodyType.BINARY_MIME);
      };
    }
    String note = null;
    if (wantFull) {
      note =
          "The original message is larger than "
              + maxReturnedBytes
              + " bytes, so only its headers are attached.";
    } else if (headers.truncated()) {
      note = "The original message's header is very long; only its first part is attached.";
    }
    byte[] bytes = endWithCrlf(headers.bytes());
    OctetScan.Kind octets = OctetScan.classify(bytes);
    if (utf8Headers && octets != OctetScan.Kind.BINARY) {
      // RFC 6533 section 6.3: 8bit SHOULD be used for message/global-headers.
      return new ReturnedPart(
          "message/global-headers",
          "8bit",
          "Undelivered message headers",
          bytes,
          BodyType.EIGHT_BIT_MIME,
          false,
          note);
    }
    String type = utf8Headers ? "message/global-headers" : "text/rfc822-headers";
    if (octets == OctetScan.Kind.SEVEN_BIT) {
      return new ReturnedPart(
          type, "7bit", "Undelivered message headers", bytes, BodyType.SEVEN_BIT, false, note);
    }
    // Raw 8-bit (or over-long) header lines in a non-SMTPUTF8 message: quoted-printable keeps the
    // report itself 7-bit, so it can reach any server.
    return new ReturnedPart(
        type,
        "quoted-printable",
        "Undelivered message headers",
        encode(bytes, "quoted-printable"),
        BodyType.SEVEN_BIT,
        false,
        note);
  }

  private static ReturnedPart fullPart(
      boolean utf8Headers, String encoding, MessageContent content, BodyType bodyType) {
    return new ReturnedPart(
        utf8Headers ? "message/global" : "message/rfc822",
        encoding,
        "Undelivered message",
        content.toByteArray(),
        bodyType,
        true,
        null);
  }

  private String humanReadable(
      Envelope original, List<RecipientReport> reports, ReportKind kind, ReturnedPart returned) {
    StringBuilder text = new StringBuilder(512);
    line(text, "This is the mail delivery system at " + reportingMta + ".");
    line(text, "");
    switch (kind) {
      case FAILURE -> {
        line(text, "Your message could not be delivered to one or more of its recipients.");
        line(text, "The details are below.");
      }
      case DELAY -> {
        line(text, "Your message has not yet been delivered to one or more of its recipients.");
        line(text, "Delivery is still being retried; you do not need to send it again.");
      }
      case SUCCESS -> line(text, "Your message was delivered as reported below, as you asked.");
    }
    line(text, "");
    line(text, "  Queue id: " + original.id());
    line(text, "  Received: " + DsnText.date(original.arrival(), clock.getZone()));
    line(text, "");
    for (RecipientReport report : reports) {
      line(text, "<" + report.recipient().address() + ">: " + describe(report.action()));
      line(text, "    Status: " + report.status());
      if (report.remoteMta() != null) {
        String mta = DsnText.untyped(DsnText.typed(report.remoteMta(), "dns"));
        line(text, "    Remote server: " + DsnText.printable(mta, 255));
      }
      if (report.diagnosticCode() != null) {
        String reply = DsnText.untyped(DsnText.typed(report.diagnosticCode(), "smtp"));
        line(text, "    Reply: " + DsnText.printable(reply, MAX_DIAGNOSTIC));
      }
      if (report.action() == DsnAction.DELAYED && report.willRetryUntil() != null) {
        line(text, "    Retrying until: " + DsnText.date(report.willRetryUntil(), clock.getZone()));
      }
      line(text, "");
    }
    if (returned.note() != null) {
      line(text, returned.note());
      line(text, "");
    }
    line(
        text,
        returned.wholeMessage()
            ? "The delivery report and the original message are attached."
            : "The delivery report and the original message's headers are attached.");
    return text.toString();
  }

  private static String describe(DsnAction action) {
    return switch (action) {
      case FAILED -> "delivery failed";
      case DELAYED -> "delivery delayed, still trying";
      case DELIVERED -> "delivered";
      case RELAYED -> "relayed to a system that sends no further delivery reports";
      case EXPANDED -> "delivered to a list or alias, which expanded it";
    };
  }

  /**
   * The message/delivery-status body (RFC 3464 section 2): per-message, then per-recipient fields.
   */
  private String deliveryStatus(Envelope original, List<RecipientReport> reports) {
    StringBuilder status = new StringBuilder(256 * (reports.size() + 1));
    DsnText.appendField(status, "Reporting-MTA", "dns; " + reportingMta);
    // An extension field (RFC 3464 section 2.4) so the sender can quote the queue id to an admin.
    DsnText.appendField(status, "X-Vireo-Queue-ID", original.id().value());
    if (original.envelopeId() != null) {
      DsnText.appendField(
          status, "Original-Envelope-Id", DsnText.decodeXtext(original.envelopeId()));
    }
    if (!original.heloName().isBlank()) {
      DsnText.appendField(status, "Received-From-MTA", "dns; " + original.heloName());
    }
    DsnText.appendField(status, "Arrival-Date", DsnText.date(original.arrival(), clock.getZone()));
    for (RecipientReport report : reports) {
      status.append(DsnText.CRLF);
      Recipient recipient = report.recipient();
      if (recipient.originalRecipient() != null) {
        DsnText.appendField(
            status, "Original-Recipient", DsnText.originalRecipient(recipient.originalRecipient()));
      }
      DsnText.appendField(status, "Final-Recipient", DsnText.finalRecipient(recipient.address()));
      DsnText.appendField(status, "Action", report.action().fieldValue());
      DsnText.appendField(status, "Status", report.status());
      if (report.remoteMta() != null) {
        DsnText.appendField(status, "Remote-MTA", DsnText.typed(report.remoteMta(), "dns"));
      }
      if (report.diagnosticCode() != null) {
        String diagnostic = DsnText.printable(report.diagnosticCode(), MAX_DIAGNOSTIC);
        DsnText.appendField(status, "Diagnostic-Code", DsnText.typed(diagnostic, "smtp"));
      }
      if (report.lastAttempt() != null) {
        DsnText.appendField(
            status, "Last-Attempt-Date", DsnText.date(report.lastAttempt(), clock.getZone()));
      }
      if (report.action() == DsnAction.DELAYED && report.willRetryUntil() != null) {
        DsnText.appendField(
            status, "Will-Retry-Until", DsnText.date(report.willRetryUntil(), clock.getZone()));
      }
    }
    return status.toString();
  }

  private static MimeBodyPart textPart(byte[] utf8Text) {
    if (OctetScan.classify(utf8Text) == OctetScan.Kind.SEVEN_BIT) {
      return part("text/plain; charset=us-ascii", "7bit", "Notification", utf8Text);
    }
    return part(
        "text/plain; charset=utf-8",
        "quoted-printable",
        "Notification",
        encode(utf8Text, "quoted-printable"));
  }

  private static MimeBodyPart statusPart(byte[] status) {
    return part("message/delivery-status", "7bit", "Delivery report", status);
  }

  /**
   * A body part whose bytes are exactly {@code body}: built from raw headers and content, Jakarta
   * Mail writes them back untouched instead of re-encoding through a content handler.
   */
  private static MimeBodyPart part(
      String contentType, String transferEncoding, String description, byte[] body) {
    InternetHeaders headers = new InternetHeaders();
    headers.addHeader("Content-Description", description);
    headers.addHeader("Content-Type", contentType);
    headers.addHeader("Content-Transfer-Encoding", transferEncoding);
    try {
      return new MimeBodyPart(headers, body);
    } catch (MessagingException e) {
      throw new IllegalStateException("building a MIME part in memory", e);
    }
  }

  private MessageContent render(
      Envelope original,
      MessageId id,
      Instant now,
      ReportKind kind,
      BodyType bodyType,
      MimeBodyPart text,
      MimeBodyPart status,
      ReturnedPart returned) {
    try {
      String boundary = boundary(id, returned.body());
      ReportMultipart report = new ReportMultipart(boundary);
      report.setPreamble("This is a MIME-formatted delivery status notification." + DsnText.CRLF);
      report.addBodyPart(text);
      report.addBodyPart(status);
      report.addBodyPart(
          part(
              returned.contentType(),
              returned.transferEncoding(),
              returned.description(),
              returned.body()));

      BounceMessage message =
          new BounceMessage(session, "<" + id.value() + "@" + reportingMta + ">");
      message.setHeader("From", "Mail Delivery System <MAILER-DAEMON@" + reportingMta + ">");
      message.setHeader("To", "<" + original.sender() + ">");
      message.setHeader("Subject", kind.subject);
      message.setHeader("Date", DsnText.date(now, clock.getZone()));
      // RFC 3834 section 5: an automatic reply, so responders must not answer it.
      message.setHeader("Auto-Submitted", "auto-replied");
      message.setContent(report);
      if (bodyType != BodyType.SEVEN_BIT) {
        // RFC 2045 section 6.4: a multipart's encoding label must cover its parts' content.
        message.setHeader(
            "Content-Transfer-Encoding", bodyType == BodyType.BINARY_MIME ? "binary" : "8bit");
      }
      message.saveChanges();
      ContentOutputStream out = new ContentOutputStream();
      message.writeTo(out);
      return out.toContent();
    } catch (MessagingException e) {
      throw new IllegalStateException("composing a DSN in memory", e);
    } catch (IOException e) {
      throw new UncheckedIOException("composing a DSN in memory", e);
    }
  }

  /**
   * A boundary that occurs nowhere in the returned original: the new message id makes a collision
   * all but impossible, and the check makes it certain (RFC 2046 section 5.1.1).
   */
  private static String boundary(MessageId id, byte[] returnedBody) {
    for (int attempt = 0; attempt < MAX_BOUNDARY_TRIES; attempt++) {
      String candidate = "=_vireo_" + id.value() + (attempt == 0 ? "" : "_" + attempt);
      if (indexOf(returnedBody, DsnText.ascii("--" + candidate)) < 0) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "no unused MIME boundary after " + MAX_BOUNDARY_TRIES + " tries");
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static byte[] encode(byte[] bytes, String encoding) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length * 2 + 16);
    try (OutputStream encoder = MimeUtility.encode(out, encoding)) {
      encoder.write(bytes);
    } catch (MessagingException e) {
      throw new IllegalStateException("unknown encoding " + encoding, e);
    } catch (IOException e) {
      throw new UncheckedIOException("encoding in memory", e);
    }
    return out.toByteArray();
  }

  private static byte[] endWithCrlf(byte[] bytes) {
    int n = bytes.length;
    if (n == 0 || (n >= 2 && bytes[n - 2] == '\r' && bytes[n - 1] == '\n')) {
      return bytes;
    }
    byte[] ended = Arrays.copyOf(bytes, n + 2);
    ended[n] = '\r';
    ended[n + 1] = '\n';
    return ended;
  }

  private static void line(StringBuilder text, String line) {
    text.append(line).append(DsnText.CRLF);
  }

  /**
   * {@code multipart/report; report-type=delivery-status} (RFC 6522 section 3): Jakarta Mail's
   * constructor only takes a subtype, so the full type with both parameters is set here.
   */
  private static final class ReportMultipart extends MimeMultipart {
    ReportMultipart(String boundary) {
      ParameterList parameters = new ParameterList();
      parameters.set("report-type", "delivery-status");
      parameters.set("boundary", boundary);
      contentType = new ContentType("multipart", "report", parameters).toString();
    }
  }

  /**
   * A MimeMessage whose Message-ID is the bounce's queue id: Jakarta Mail's default would look up
   * the local host name, which may hit DNS, and would not match the spool's id.
   */
  private static final class BounceMessage extends MimeMessage {
    private final String messageId;

    BounceMessage(Session session, String messageId) {
      super(session);
      this.messageId = messageId;
    }

    @Override
    protected void updateMessageID() throws MessagingException {
      setHeader("Message-ID", messageId);
    }
  }
}
