package io.vireo.relay.delivery.smtp;

import io.vireo.queue.BodyType;
import io.vireo.queue.MessageContent;
import io.vireo.queue.Recipient;
import io.vireo.queue.Ret;
import java.util.List;
import java.util.Objects;

/**
 * One message to hand to one remote server: the envelope for the recipients routed there, and the
 * content as spooled (CRLF line endings, not dot-stuffed).
 *
 * @param sender the reverse-path without angle brackets; empty for the null sender {@code <>}
 * @param recipients at least one, all for the same destination
 * @param content the message bytes
 * @param bodyType what the content may contain; the caller downgrades 8-bit content before sending
 *     it to a server without 8BITMIME
 * @param smtpUtf8 the envelope or headers need SMTPUTF8 (RFC 6531)
 * @param ret the RET parameter to pass on (RFC 3461 section 4.3)
 * @param envelopeId the ENVID parameter, decoded (not xtext), or null; the client xtext-encodes it
 */
public record OutboundMessage(
    String sender,
    List<Recipient> recipients,
    MessageContent content,
    BodyType bodyType,
    boolean smtpUtf8,
    Ret ret,
    String envelopeId) {

  public OutboundMessage {
    Objects.requireNonNull(sender, "sender");
    recipients = List.copyOf(recipients);
    if (recipients.isEmpty()) {
      throw new IllegalArgumentException("a message needs at least one recipient");
    }
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(bodyType, "bodyType");
    Objects.requireNonNull(ret, "ret");
  }

  /** A plain 7-bit message without DSN parameters; for tests and tools. */
  public static OutboundMessage simple(String sender, List<String> recipients, byte[] content) {
    return new OutboundMessage(
        sender,
        recipients.stream().map(Recipient::of).toList(),
        MessageContent.of(content),
        BodyType.SEVEN_BIT,
        false,
        Ret.UNSPECIFIED,
        null);
  }
}
