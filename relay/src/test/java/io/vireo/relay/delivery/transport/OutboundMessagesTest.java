package io.vireo.relay.delivery.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.queue.BodyType;
import io.vireo.queue.Envelope;
import io.vireo.queue.MessageContent;
import io.vireo.queue.MessageIdGenerator;
import io.vireo.queue.Notify;
import io.vireo.queue.Recipient;
import io.vireo.queue.RecipientState;
import io.vireo.queue.RecipientStatus;
import io.vireo.queue.Ret;
import io.vireo.relay.delivery.smtp.OutboundMessage;
import io.vireo.relay.delivery.smtp.ServerCapabilities;
import io.vireo.relay.protocol.SmtpReply;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Preparing a spooled message for one server. */
class OutboundMessagesTest {
  private static final ServerCapabilities FULL =
      ServerCapabilities.fromEhlo(
          new SmtpReply(250, null, List.of("mx.test", "8BITMIME", "SMTPUTF8", "DSN")));
  private static final ServerCapabilities PLAIN = ServerCapabilities.heloOnly();

  private final OutboundMessages outbound = new OutboundMessages();
  private final MessageIdGenerator ids = new MessageIdGenerator(Clock.systemUTC());

  @Test
  void dsnParametersAreDecodedFromTheirStoredXtextForm() {
    Recipient stored = new Recipient("b@x.test", Set.of(Notify.SUCCESS), "rfc822;b+2Btag@x.test");
    Envelope envelope = envelope(BodyType.SEVEN_BIT, false, "env+3Did", stored);

    OutboundMessage message = ready(envelope, "Subject: x\r\n\r\nx\r\n", FULL);

    assertThat(message.envelopeId()).isEqualTo("env=id");
    assertThat(message.recipients().getFirst().originalRecipient())
        .isEqualTo("rfc822;b+tag@x.test");
    assertThat(message.recipients().getFirst().notifications()).containsExactly(Notify.SUCCESS);
  }

  @Test
  void smtpUtf8MessageIsRefusedByAServerWithoutIt() {
    Envelope envelope = envelope(BodyType.SEVEN_BIT, true, null, Recipient.of("b@x.test"));

    OutboundMessages.Prepared prepared =
        outbound.prepare(envelope, content("x\r\n"), statuses(envelope), PLAIN, "mx[127.0.0.1]:25");

    assertThat(prepared)
        .isInstanceOfSatisfying(
            OutboundMessages.Prepared.Refused.class,
            r -> assertThat(r.reply().text()).startsWith("553 5.6.7"));
  }

  @Test
  void eightBitContentThatCannotBeConvertedIsRefusedWith563() {
    Envelope envelope = envelope(BodyType.EIGHT_BIT_MIME, false, null, Recipient.of("b@x.test"));
    // 8-bit octets in a header cannot be made 7-bit without RFC 2047, which is not attempted.
    OutboundMessages.Prepared prepared =
        outbound.prepare(
            envelope, content("Subject: Grüße\r\n\r\nx\r\n"), statuses(envelope), PLAIN, "mx");

    assertThat(prepared)
        .isInstanceOfSatisfying(
            OutboundMessages.Prepared.Refused.class,
            r -> assertThat(r.reply().text()).startsWith("554 5.6.3"));
  }

  @Test
  void eightBitLabelOnSevenBitContentNeedsNoConversion() {
    Envelope envelope = envelope(BodyType.EIGHT_BIT_MIME, false, null, Recipient.of("b@x.test"));

    OutboundMessage message = ready(envelope, "Subject: plain\r\n\r\nx\r\n", PLAIN);

    assertThat(message.bodyType()).isEqualTo(BodyType.SEVEN_BIT);
  }

  private OutboundMessage ready(Envelope envelope, String text, ServerCapabilities server) {
    OutboundMessages.Prepared prepared =
        outbound.prepare(envelope, content(text), statuses(envelope), server, "mx");
    assertThat(prepared).isInstanceOf(OutboundMessages.Prepared.Ready.class);
    return ((OutboundMessages.Prepared.Ready) prepared).message();
  }

  private static MessageContent content(String text) {
    return MessageContent.of(text.getBytes(StandardCharsets.UTF_8));
  }

  private static List<RecipientStatus> statuses(Envelope envelope) {
    return envelope.recipients().stream()
        .map(r -> new RecipientStatus(r, RecipientState.PENDING, 0, envelope.arrival(), null))
        .toList();
  }

  private Envelope envelope(
      BodyType bodyType, boolean smtpUtf8, String envelopeId, Recipient recipient) {
    return new Envelope(
        ids.next(),
        "a@x.test",
        List.of(recipient),
        bodyType,
        smtpUtf8,
        Ret.UNSPECIFIED,
        envelopeId,
        Instant.now(),
        "127.0.0.1",
        "client.test");
  }
}
