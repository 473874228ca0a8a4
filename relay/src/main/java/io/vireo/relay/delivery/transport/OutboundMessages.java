package io.vireo.relay.delivery.transport;

import io.vireo.queue.BodyType;
import io.vireo.queue.Envelope;
import io.vireo.queue.MessageContent;
import io.vireo.queue.Recipient;
import io.vireo.queue.RecipientStatus;
import io.vireo.relay.delivery.outcome.LocalReplies;
import io.vireo.relay.delivery.outcome.dsn.DowngradeResult;
import io.vireo.relay.delivery.outcome.dsn.EightBitDowngrader;
import io.vireo.relay.delivery.smtp.OutboundMessage;
import io.vireo.relay.delivery.smtp.ServerCapabilities;
import io.vireo.relay.protocol.SmtpReply;
import io.vireo.relay.protocol.Xtext;
import java.util.List;

/**
 * Turns a spooled message into what the SMTP client sends to one particular server, or says why
 * that server cannot take it.
 *
 * <ul>
 *   <li>SMTPUTF8 needed but not offered: refused with 5.6.7 (RFC 6531 section 3.2; there is no
 *       downgrade for internationalised addresses).
 *   <li>8-bit content for a server without 8BITMIME: converted to 7-bit MIME (RFC 6152 section 3),
 *       or refused with 5.6.3 when it cannot be.
 *   <li>ENVID and ORCPT are kept xtext-encoded in the spool, as the client sent them; the SMTP
 *       client wants them decoded and encodes them itself.
 * </ul>
 */
public final class OutboundMessages {
  /** The outcome of preparing a message for a server. */
  public sealed interface Prepared {
    record Ready(OutboundMessage message) implements Prepared {}

    /** Every recipient fails with {@code reply}; nothing is sent. */
    record Refused(SmtpReply reply) implements Prepared {}
  }

  private final EightBitDowngrader downgrader = new EightBitDowngrader();

  public Prepared prepare(
      Envelope envelope,
      MessageContent content,
      List<RecipientStatus> recipients,
      ServerCapabilities server,
      String remote) {
    if (envelope.smtpUtf8() && !server.smtpUtf8()) {
      return new Prepared.Refused(LocalReplies.needsSmtpUtf8(remote));
    }
    MessageContent body = content;
    BodyType bodyType = envelope.bodyType();
    if (bodyType != BodyType.SEVEN_BIT && !server.eightBitMime()) {
      switch (downgrader.downgrade(content)) {
        case DowngradeResult.Unchanged unchanged -> bodyType = BodyType.SEVEN_BIT;
        case DowngradeResult.Converted converted -> {
          body = converted.content();
          bodyType = BodyType.SEVEN_BIT;
        }
        case DowngradeResult.Impossible impossible -> {
          return new Prepared.Refused(LocalReplies.cannotDowngrade(remote, impossible.reason()));
        }
      }
    }
    List<Recipient> forwardPaths =
        recipients.stream().map(status -> decoded(status.recipient())).toList();
    return new Prepared.Ready(
        new OutboundMessage(
            envelope.sender(),
            forwardPaths,
            body,
            bodyType,
            envelope.smtpUtf8(),
            envelope.ret(),
            envelope.envelopeId() == null ? null : Xtext.decode(envelope.envelopeId())));
  }

  /** RFC 3461 section 4.2: ORCPT is {@code addr-type ";" xtext}; only the xtext part is decoded. */
  static Recipient decoded(Recipient recipient) {
    String original = recipient.originalRecipient();
    if (original == null) {
      return recipient;
    }
    int semicolon = original.indexOf(';');
    String decoded =
        semicolon < 0
            ? Xtext.decode(original)
            : original.substring(0, semicolon)
                + ";"
                + Xtext.decode(original.substring(semicolon + 1));
    return new Recipient(recipient.address(), recipient.notifications(), decoded);
  }
}
