package io.vireo.relay.delivery.outcome.dsn;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.queue.BodyType;
import io.vireo.queue.Envelope;
import io.vireo.queue.MessageContent;
import io.vireo.queue.MessageId;
import io.vireo.queue.MessageIdGenerator;
import io.vireo.queue.Notify;
import io.vireo.queue.Recipient;
import io.vireo.queue.Ret;
import jakarta.mail.BodyPart;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DsnComposerTest {
  private static final String MTA = "relay.vireo.test";
  private static final Instant ARRIVAL = Instant.parse("2025-06-03T09:00:00Z");
  private static final Instant NOW = Instant.parse("2025-06-03T10:30:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final MessageId ORIGINAL_ID = new MessageId("01JABCDEFGHJKMNPQRST");

  private static final String ORIGINAL_HEADER =
      "From: Alice <alice@example.org>\r\n"
          + "To: Bob <bob@example.net>\r\n"
          + "Subject: Quarterly numbers\r\n"
          + "Message-ID: <q3@example.org>\r\n"
          + "Date: Tue, 3 Jun 2025 08:59:00 +0000\r\n";
  private static final String ORIGINAL_BODY = "Hello Bob,\r\n\r\nthe numbers are attached.\r\n";
  private static final MessageContent ORIGINAL =
      MessageContent.of(bytes(ORIGINAL_HEADER + "\r\n" + ORIGINAL_BODY));

  private final Session session = Session.getInstance(new Properties());
  private final DsnComposer composer = new DsnComposer(MTA, new MessageIdGenerator(CLOCK), CLOCK);

  private static Envelope envelope(String sender, Ret ret, String envid, Recipient... recipients) {
    return new Envelope(
        ORIGINAL_ID,
        sender,
        List.of(recipients),
        BodyType.SEVEN_BIT,
        false,
        ret,
        envid,
        ARRIVAL,
        "127.0.0.9",
        "client.example.org");
  }

  private static RecipientReport unknownUser(Recipient recipient) {
    return RecipientReport.failed(
        recipient,
        "5.1.1",
        "dns; mx.example.net",
        "smtp; 550 5.1.1 <bob@example.net>: No such user",
        NOW.minusSeconds(60));
  }

  @Test
  void failureReportIsAMultipartReportWithThreePartsInOrder() throws Exception {
    Recipient bob = Recipient.of("bob@example.net");
    Bounce bounce =
        composer
            .compose(
                envelope("alice@example.org", Ret.HDRS, null, bob),
                ORIGINAL,
                List.of(unknownUser(bob)))
            .orElseThrow();

    MimeMessage message = parse(bounce.content());
    ContentType type = new ContentType(message.getContentType());
    assertThat(type.getBaseType()).isEqualToIgnoringCase("multipart/report");
    assertThat(type.getParameter("report-type")).isEqualTo("delivery-status");
    MimeMultipart parts = (MimeMultipart) message.getContent();
    assertThat(parts.getCount()).isEqualTo(3);
    assertThat(baseType(parts.getBodyPart(0))).isEqualTo("text/plain");
    assertThat(baseType(parts.getBodyPart(1))).isEqualTo("message/delivery-status");
    assertThat(baseType(parts.getBodyPart(2))).isEqualTo("text/rfc822-headers");

    String text = (String) parts.getBodyPart(0).getContent();
    assertThat(text)
        .contains("could not be delivered")
        .contains("<bob@example.net>: delivery failed")
        .contains("550 5.1.1 <bob@example.net>: No such user")
        .contains("mx.example.net")
        .contains(ORIGINAL_ID.value());
  }

  @Test
  void bounceHeadersFollowRfc3464AndRfc3834() throws Exception {
    Recipient bob = Recipient.of("bob@example.net");
    Bounce bounce =
        composer
            .compose(
                envelope("alice@example.org", Ret.HDRS, null, bob),
                ORIGINAL,
                List.of(unknownUser(bob)))
            .orElseThrow();

    MimeMessage message = parse(bounce.content());
    assertThat(message.getHeader("From", null))
        .isEqualTo("Mail Delivery System <MAILER-DAEMON@" + MTA + ">");
    assertThat(message.getHeader("To", null)).isEqualTo("<alice@example.org>");
    assertThat(message.getSubject()).isEqualTo("Undelivered Mail Returned to Sender");
    assertThat(message.getHeader("Auto-Submitted", null)).isEqualTo("auto-replied");
    assertThat(message.getHeader("MIME-Version", null)).isEqualTo("1.0");
    assertThat(message.getHeader("Date", null)).isEqualTo("Tue, 3 Jun 2025 10:30:00 +0000");
    assertThat(message.getSentDate().toInstant()).isEqualTo(NOW);
    assertThat(message.getMessageID())
        .isEqualTo("<" + bounce.envelope().id().value() + "@" + MTA + ">");
  }

  @Test
  void bounceEnvelopeHasTheNullSenderAndGoesToTheOriginalSender() {
    Recipient bob = Recipient.of("bob@example.net");
    Bounce bounce =
        composer
            .compose(
                envelope("alice@example.org", Ret.HDRS, null, bob),
                ORIGINAL,
                List.of(unknownUser(bob)))
            .orElseThrow();

    Envelope envelope = bounce.envelope();
    assertThat(envelope.hasNullSender()).isTrue();
    assertThat(envelope.recipients())
        .containsExactly(new Recipient("alice@example.org", Set.of(Notify.NEVER), null));
    assertThat(envelope.id()).isNotEqualTo(ORIGINAL_ID);
    assertThat(envelope.bodyType()).isEqualTo(BodyType.SEVEN_BIT);
    assertThat(envelope.smtpUtf8()).isFalse();
    assertThat(envelope.arrival()).isEqualTo(NOW);
    assertThat(envelope.heloName()).isEqualTo(MTA);
    assertThat(envelope.clientAddress()).isEqualTo("127.0.0.1");
    assertThat(envelope.envelopeId()).isNull();
  }

  @Test
  void deliveryStatusCarriesPerMessageAndPerRecipientFields() throws Exception {
    // ORCPT and ENVID arrive in xtext form (RFC 3461 section 4); the DSN carries them decoded.
    Recipient bob = new Recipient("bob@example.net", Set.of(), "rfc822;bob+2Btag@example.net");
    Bounce bounce =
        composer
            .compose(
                envelope("alice@example.org", Ret.HDRS, "Q3+2Breport", bob),
                ORIGINAL,
                List.of(unknownUser(bob)))
            .orElseThrow();

    List<InternetHeaders> blocks = deliveryStatus(bounce);
    assertThat(blocks).hasSize(2);
    InternetHeaders perMessage = blocks.get(0);
    assertThat(perMessage.getHeader("Reporting-MTA", null)).isEqualTo("dns; " + MTA);
    assertThat(perMessage.getHeader("Original-Envelope-Id", null)).isEqualTo("Q3+report");
    assertThat(perMessage.getHeader("Arrival-Date", null))
        .isEqualTo("Tue, 3 Jun 2025 09:00:00 +0000");
    assertThat(perMessage.getHeader("X-Vireo-Queue-ID", null)).isEqualTo(ORIGINAL_ID.value());

    InternetHeaders recipient = blocks.get(1);
    assertThat(recipient.getHeader("Original-Recipient", null))
        .isEqualTo("rfc822; bob+tag@example.net");
    assertThat(recipient.getHeader("Final-Recipient", null)).isEqualTo("rfc822; bob@example.net");
    assertThat(recipient.getHeader("Action", null)).isEqualTo("failed");
    assertThat(recipient.getHeader("Status", null)).isEqualTo("5.1.1");
    assertThat(recipient.getHeader("Remote-MTA", null)).isEqualTo("dns; mx.example.net");
    assertThat(recipient.getHeader("Diagnostic-Code", null))
        .isEqualTo("smtp; 550 5.1.1 <bob@example.net>: No such user");
    assertThat(recipient.getHeader("Last-Attempt-Date", null))
        .isEqualTo("Tue, 3 Jun 2025 10:29:00 +0000");
    assertThat(recipient.getHeader("Will-Retry-Until", null)).isNull();
  }

  @Test
  void withoutEnvidOrOrcptThoseFieldsAreAbsent() throws Exception {
    Recipient bob = Recipient.of("bob@example.net");
    Bounce bounce =
        composer
            .compose(
                envelope("alice@example.org", Ret.HDRS, null, bob),
                ORIGINAL,
                List.of(unknownUser(bob)))
            .orElseThrow();

    List<InternetHeaders> blocks = deliveryStatus(bounce);
    assertThat(blocks.get(0).getHeader("Original-Envelope-Id")).isNull();
    assertThat(blocks.get(1).getHeader("Original-Recipient")).isNull();
  }

  @Test
  void retHdrsReturnsOnlyTheOriginalHeaders() throws Exception {
    Recipient bob = Recipient.of("bob@example.net");
    Bounce bounce =
        composer
            .compose(
                envelope("alice@example.org", Ret.HDRS, null, bob),
                ORIGINAL,
                List.of(unknownUser(bob)))
            .orElseThrow();

    BodyPart returned = parts(bounce).getBodyPart(2);
    assertThat(baseType(returned)).isEqualTo("text/rfc822-headers");
    assertThat(new String(returned.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
        .isEqualTo(ORIGINAL_HEADER)
        .doesNotContain("numbers are attached");
  }

  @Test
  void unspecifiedRetAlsoReturnsHeadersOnly() throws Exception {
    Recipient bob = Recipient.of("bob@example.net");
    Bounce bounce =
        composer
            .compose(
                envelope("alice@example.org", Ret.UNSPECIFIED, null, bob),
                ORIGINAL,
                List.of(unknownUser(bob)))
            .orElseThrow();

    assertThat(baseType(parts(bounce).getBodyPart(2))).isEqualTo("text/rfc822-headers");
  }

  @Test
  void retFullReturnsTheWholeOriginalMessage() throws Exception {
    Recipient bob = Recipient.of("bob@example.net");
    Bounce bounce =
        composer
            .compose(
                envelope("alice@example.org", Ret.FULL, null, bob),
                ORIGINAL,
                List.of(unknownUser(bob)))
            .orElseThrow();

    BodyPart returned = parts(bounce).getBodyPart(2);
    assertThat(baseType(returned)).isEqualTo("message/rfc822");
    assertThat(((MimeBodyPart) returned).getRawInputStream().readAllBytes())
        .isEqualTo(ORIGINAL.toByteArray());
    MimeMessage inner = (MimeMessage) returned.getContent();
    assertThat(inner.getSubject()).isEqualTo("Quarterly numbers");
    assertThat(((String) inner.getContent())).isEqualTo(ORIGINAL_BODY);
  }

  @Test
  void retFullOverTheSizeCapFallsBackToHeadersWithANote() throws Exception {
    DsnComposer small = new DsnComposer(MTA, new MessageIdGenerator(CLOCK), CLOCK, 64);
    Recipient bob = Recipient.of("bob@example.net");
    Bounce bounce =
        small
            .compose(
                envelope("alice@example.org", Ret.FULL, null, bob),
                ORIGINAL,
                List.of(unknownUser(bob)))
            .orElseThrow();

    MimeMultipart parts = parts(bounce);
    assertThat(baseType(parts.getBodyPart(2))).isEqualTo("text/rfc822-headers");
    assertThat((String) parts.getBodyPart(0).getContent())
        .contains("larger than 64 bytes, so only its headers are attached");
  }

  @Test
  void retFullOnADelayNoticeStillReturnsHeadersOnly() throws Exception {
    Recipient bob = Recipient.of("bob@example.net");
    RecipientReport delayed =
        RecipientReport.delayed(
            bob, "4.4.1", null, "smtp; connection timed out", NOW, NOW.plus(Duration.ofDays(5)));
    Bounce bounce =
        composer
            .compose(envelope("alice@example.org", Ret.FULL, null, bob), ORIGINAL, List.of(delayed))
            .orElseThrow();

    assertThat(baseType(parts(bounce).getBodyPart(2))).isEqualTo("text/rfc822-headers");
  }

  @Test
  void nullSenderOriginalNeverGetsABounce() {
    Recipient bob = Recipient.of("bob@example.net");
    assertThat(
            composer.compose(
                envelope("", Ret.FULL, null, bob), ORIGINAL, List.of(unknownUser(bob))))
        .isEmpty();
  }

  @Test
  void notifyNeverGetsNoBounce() {
    Recipient bob = new Recipient("bob@example.net", Set.of(Notify.NEVER), null);
    assertThat(
            composer.compose(
                envelope("alice@example.org", Ret.HDRS, null, bob),
                ORIGINAL,
                List.of(unknownUser(bob))))
        .isEmpty();
  }

  @Test
  void notifySuccessOnlyGetsNoFailureBounceButASuccessReport() throws Exception {
    Recipient bob = new Recipient("bob@example.net", Set.of(Notify.SUCCESS), null);
    Envelope original = envelope("alice@example.org", Ret.HDRS, null, bob);
    assertThat(composer.compose(original, ORIGINAL, List.of(unknownUser(bob)))).isEmpty();

    RecipientReport delivered =
        new RecipientReport(
            bob,
            DsnAction.DELIVERED,
            "2.0.0",
            "dns; mx.example.net",
            "smtp; 250 2.0.0 Ok: queued",
            NOW,
            null);
    Bounce report = composer.compose(original, ORIGINAL, List.of(delivered)).orElseThrow();
    assertThat(parse(report.content()).getSubject()).isEqualTo("Successful Mail Delivery Report");
    assertThat(deliveryStatus(report).get(1).getHeader("Action", null)).isEqualTo("delivered");
  }

  @Test
  void delayNoticeOnlyWhenNotifyAllowsIt() throws Exception {
    Instant until = NOW.plus(Duration.ofDays(4));
    Recipient failureOnly = new Recipient("bob@example.net", Set.of(Notify.FAILURE), null);
    RecipientReport notAllowed =
        RecipientReport.delayed(
            failureOnly, "4.4.1", "dns; mx.example.net", "smtp; 421 try later", NOW, until);
    assertThat(
            composer.compose(
                envelope("alice@example.org", Ret.HDRS, null, failureOnly),
                ORIGINAL,
                List.of(notAllowed)))
        .isEmpty();

    for (Set<Notify> allowed : List.of(Set.<Notify>of(), Set.of(Notify.DELAY))) {
      Recipient bob = new Recipient("bob@example.net", allowed, null);
      RecipientReport delayed =
          RecipientReport.delayed(
              bob, "4.4.1", "dns; mx.example.net", "smtp; 421 try later", NOW, until);
      Bounce notice =
          composer
              .compose(
                  envelope("alice@example.org", Ret.HDRS, null, bob), ORIGINAL, List.of(delayed))
              .orElseThrow();
      MimeMessage message = parse(notice.content());
      assertThat(message.getSubject()).isEqualTo("Delayed Mail (still being retried)");
      InternetHeaders block = deliveryStatus(notice).get(1);
      assertThat(block.getHeader("Action", null)).isEqualTo("delayed");
      assertThat(block.getHeader("Status", null)).isEqualTo("4.4.1");
      assertThat(block.getHeader("Will-Retry-Until", null))
          .isEqualTo("Sat, 7 Jun 2025 10:30:00 +0000");
      assertThat((String) parts(notice).getBodyPart(0).getContent())
          .contains("still being retried")
          .contains("Retrying until: Sat, 7 Jun 2025 10:30:00 +0000");
    }
  }

  @Test
  void multipleRecipientsShareOneReportAndUnowedOnesAreLeftOut() throws Exception {
    Recipient bob = Recipient.of("bob@example.net");
    Recipient carol =
        new Recipient("carol@example.com", Set.of(Notify.FAILURE), "rfc822;carol@example.com");
    Recipient dave = new Recipient("dave@example.com", Set.of(Notify.NEVER), null);
    RecipientReport carolFailed =
        RecipientReport.failed(
            carol, "5.7.1", "dns; mx.example.com", "smtp; 554 5.7.1 Relay denied", NOW);
    RecipientReport daveFailed = RecipientReport.failed(dave, "5.1.1", null, null, NOW);
    RecipientReport noServer =
        RecipientReport.failed(Recipient.of("erin@nowhere.test"), "5.1.2", null, null, null);
    Bounce bounce =
        composer
            .compose(
                envelope("alice@example.org", Ret.HDRS, null, bob, carol, dave),
                ORIGINAL,
                List.of(unknownUser(bob), carolFailed, daveFailed, noServer))
            .orElseThrow();

    List<InternetHeaders> blocks = deliveryStatus(bounce);
    assertThat(blocks).hasSize(4);
    assertThat(blocks.subList(1, 4))
        .extracting(block -> block.getHeader("Final-Recipient", null))
        .containsExactly(
            "rfc822; bob@example.net", "rfc822; carol@example.com", "rfc822; erin@nowhere.test");
    assertThat(blocks.get(2).getHeader("Original-Recipient", null))
        .isEqualTo("rfc822; carol@example.com");
    assertThat(blocks.get(2).getHeader("Status", null)).isEqualTo("5.7.1");
    assertThat(blocks.get(3).getHeader("Remote-MTA")).isNull();
    assertThat(blocks.get(3).getHeader("Diagnostic-Code")).isNull();
    String text = (String) parts(bounce).getBodyPart(0).getContent();
    assertThat(text).contains("<bob@example.net>", "<carol@example.com>", "<erin@nowhere.test>");
    assertThat(text).doesNotContain("dave@example.com");
  }

  @Test
  void sevenBitOriginalGivesACrlfOnlySevenBitBounce() {
    Recipient bob = Recipient.of("bob@example.net");
    for (Ret ret : Ret.values()) {
      Bounce bounce =
          composer
              .compose(
                  envelope("alice@example.org", ret, "x", bob), ORIGINAL, List.of(unknownUser(bob)))
              .orElseThrow();
      byte[] bytes = bounce.content().toByteArray();
      assertCrlfOnly(bytes);
      assertThat(EightBitDowngrader.is8Bit(bounce.content())).isFalse();
      assertThat(OctetScan.classify(bytes)).isEqualTo(OctetScan.Kind.SEVEN_BIT);
      assertThat(bounce.envelope().bodyType()).isEqualTo(BodyType.SEVEN_BIT);
    }
  }

  @Test
  void longDiagnosticIsFoldedWithoutLosingText() throws Exception {
    StringBuilder reply = new StringBuilder("smtp; 550 5.7.1");
    for (int i = 0; i < 120; i++) {
      reply.append(" word").append(i);
    }
    Recipient bob = Recipient.of("bob@example.net");
    RecipientReport report =
        RecipientReport.failed(bob, "5.7.1", "mx.example.net", reply.toString(), NOW);
    Bounce bounce =
        composer
            .compose(envelope("alice@example.org", Ret.HDRS, null, bob), ORIGINAL, List.of(report))
            .orElseThrow();

    byte[] bytes = bounce.content().toByteArray();
    assertCrlfOnly(bytes);
    for (String line : new String(bytes, StandardCharsets.US_ASCII).split("\r\n")) {
      assertThat(line.length()).isLessThanOrEqualTo(998);
    }
    InternetHeaders block = deliveryStatus(bounce).get(1);
    assertThat(block.getHeader("Diagnostic-Code", null).replaceAll("\\s+", " "))
        .isEqualTo(reply.toString());
    // A Remote-MTA given without a type gets dns (RFC 3464 section 2.3.5).
    assertThat(block.getHeader("Remote-MTA", null)).isEqualTo("dns; mx.example.net");
  }

  @Test
  void eightBitOriginalReturnedInFullNeeds8BitMimeAndCanBeDowngraded() throws Exception {
    MessageContent original =
        MessageContent.of(
            bytes(
                ORIGINAL_HEADER
                    + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
                    + "Content-Transfer-Encoding: 8bit\r\n\r\nGrüße aus Köln\r\n"));
    Recipient bob = Recipient.of("bob@example.net");
    Bounce bounce =
        composer
            .compose(
                envelope("alice@example.org", Ret.FULL, null, bob),
                original,
                List.of(unknownUser(bob)))
            .orElseThrow();

    assertThat(bounce.envelope().bodyType()).isEqualTo(BodyType.EIGHT_BIT_MIME);
    MimeMessage message = parse(bounce.content());
    assertThat(message.getHeader("Content-Transfer-Encoding", null)).isEqualTo("8bit");
    BodyPart returned = ((MimeMultipart) message.getContent()).getBodyPart(2);
    assertThat(returned.getHeader("Content-Transfer-Encoding")).containsExactly("8bit");

    DowngradeResult downgraded = new EightBitDowngrader().downgrade(bounce.content());
    assertThat(downgraded).isInstanceOf(DowngradeResult.Converted.class);
    MessageContent sevenBit = ((DowngradeResult.Converted) downgraded).content();
    assertThat(EightBitDowngrader.is8Bit(sevenBit)).isFalse();
    MimeMessage inner =
        (MimeMessage) ((MimeMultipart) parse(sevenBit).getContent()).getBodyPart(2).getContent();
    assertThat(inner.getContent()).isEqualTo("Grüße aus Köln\r\n");
  }

  @Test
  void utf8SenderGetsAnSmtpUtf8BounceWithEscapedFinalRecipient() throws Exception {
    Recipient bob = Recipient.of("bøb@example.net");
    Envelope original =
        new Envelope(
            ORIGINAL_ID,
            "älice@example.org",
            List.of(bob),
            BodyType.EIGHT_BIT_MIME,
            true,
            Ret.HDRS,
            null,
            ARRIVAL,
            "127.0.0.9",
            "client.example.org");
    Bounce bounce =
        composer
            .compose(
                original, ORIGINAL, List.of(RecipientReport.failed(bob, "5.1.1", null, null, NOW)))
            .orElseThrow();

    assertThat(bounce.envelope().smtpUtf8()).isTrue();
    assertThat(bounce.envelope().recipients().getFirst().address()).isEqualTo("älice@example.org");
    Properties utf8 = new Properties();
    utf8.setProperty("mail.mime.allowutf8", "true");
    MimeMessage message = new MimeMessage(Session.getInstance(utf8), bounce.content().openStream());
    assertThat(message.getHeader("To", null)).isEqualTo("<älice@example.org>");
    InternetHeaders block = deliveryStatus(bounce).get(1);
    assertThat(block.getHeader("Final-Recipient", null)).isEqualTo("utf-8; b\\x{F8}b@example.net");
  }

  // --- helpers

  private MimeMessage parse(MessageContent content) throws Exception {
    try (InputStream in = content.openStream()) {
      return new MimeMessage(session, in);
    }
  }

  private MimeMultipart parts(Bounce bounce) throws Exception {
    return (MimeMultipart) parse(bounce.content()).getContent();
  }

  private static String baseType(BodyPart part) throws Exception {
    return new ContentType(part.getContentType()).getBaseType().toLowerCase(Locale.ROOT);
  }

  /**
   * The message/delivery-status part as its field blocks: per-message first, then one per
   * recipient.
   */
  private List<InternetHeaders> deliveryStatus(Bounce bounce) throws Exception {
    byte[] body = parts(bounce).getBodyPart(1).getInputStream().readAllBytes();
    List<InternetHeaders> blocks = new ArrayList<>();
    for (String block : new String(body, StandardCharsets.US_ASCII).split("\r\n\r\n")) {
      if (!block.isBlank()) {
        blocks.add(new InternetHeaders(new ByteArrayInputStream(bytes(block + "\r\n\r\n"))));
      }
    }
    return blocks;
  }

  private static void assertCrlfOnly(byte[] bytes) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        assertThat(i > 0 && bytes[i - 1] == '\r').as("LF at %d preceded by CR", i).isTrue();
      }
      if (bytes[i] == '\r') {
        assertThat(i + 1 < bytes.length && bytes[i + 1] == '\n')
            .as("CR at %d followed by LF", i)
            .isTrue();
      }
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
