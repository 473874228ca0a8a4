package io.vireo.relay.delivery.smtp;

import io.vireo.queue.BodyType;
import io.vireo.queue.Recipient;
import io.vireo.queue.Ret;
import io.vireo.relay.protocol.MailParameters;
import io.vireo.relay.protocol.Mailbox;
import io.vireo.relay.protocol.SmtpCommand.MailFrom;
import io.vireo.relay.protocol.SmtpCommand.RcptTo;
import io.vireo.relay.protocol.SmtpReply;
import io.vireo.relay.protocol.Xtext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Makes a message ready for a transaction with one server: the MAIL and RCPT commands, as the same
 * {@link io.vireo.relay.protocol.SmtpCommand} records the server side parses, with only the
 * parameters that server offers; and the replies made up here for what must not be offered at all.
 *
 * <p>Some messages are refused locally, without a transaction: content larger than the server's
 * SIZE gets {@code 552 5.3.4} (RFC 1870 section 6.1); SMTPUTF8 needed but not offered gets {@code
 * 553 5.6.7} (RFC 6531 section 3.2); 8-bit content to a server without 8BITMIME gets {@code 554
 * 5.6.3} (RFC 6152 section 3: it must not be sent), as does binary content that is not
 * line-structured, since this client sends DATA and never BDAT. A sender with control characters
 * gets {@code 501 5.1.7}; a recipient with them gets {@code 501 5.1.3} and is not offered.
 */
final class TransactionPlanner {
  private final ServerCapabilities capabilities;
  private final String remoteDescription;

  TransactionPlanner(ServerCapabilities capabilities, String remoteDescription) {
    this.capabilities = capabilities;
    this.remoteDescription = remoteDescription;
  }

  TransactionPlan plan(OutboundMessage message) {
    List<Recipient> recipients = message.recipients();
    SmtpReply[] results = new SmtpReply[recipients.size()];
    SmtpReply refusal = localRefusal(message);
    if (refusal != null) {
      Arrays.fill(results, refusal);
      return new TransactionPlan(message, results, List.of(), null, List.of());
    }
    List<Integer> offered = new ArrayList<>(recipients.size());
    List<RcptTo> rcptCommands = new ArrayList<>(recipients.size());
    for (int i = 0; i < recipients.size(); i++) {
      Recipient recipient = recipients.get(i);
      if (hasControlCharacters(recipient.address())) {
        results[i] = SmtpReply.of(501, "5.1.3", "Bad recipient address syntax (refused locally)");
      } else {
        offered.add(i);
        rcptCommands.add(rcpt(recipient));
      }
    }
    if (offered.isEmpty()) {
      return new TransactionPlan(message, results, List.of(), null, List.of());
    }
    return new TransactionPlan(message, results, offered, mail(message), rcptCommands);
  }

  private SmtpReply localRefusal(OutboundMessage message) {
    long size = message.content().size();
    if (capabilities.sizeLimit() > 0 && size > capabilities.sizeLimit()) {
      return SmtpReply.of(
          552,
          "5.3.4",
          "Message size "
              + size
              + " exceeds the limit of "
              + capabilities.sizeLimit()
              + " declared by "
              + remoteDescription
              + " (refused locally)");
    }
    if (message.smtpUtf8() && !capabilities.smtpUtf8()) {
      return SmtpReply.of(
          553,
          "5.6.7",
          remoteDescription
              + " does not offer SMTPUTF8, which this message needs (refused locally)");
    }
    if (message.bodyType() != BodyType.SEVEN_BIT) {
      ContentScan scan = null;
      if (message.bodyType() == BodyType.BINARY_MIME) {
        scan = ContentScan.of(message.content());
        if (!scan.lineStructured()) {
          return SmtpReply.of(
              554,
              "5.6.3",
              "Binary content cannot be sent with DATA and this client does not use BDAT"
                  + " (refused locally)");
        }
      }
      if (!capabilities.eightBitMime()) {
        if (scan == null) {
          scan = ContentScan.of(message.content());
        }
        if (scan.eightBit()) {
          return SmtpReply.of(
              554,
              "5.6.3",
              remoteDescription
                  + " does not offer 8BITMIME and the content was not downgraded (refused"
                  + " locally)");
        }
      }
    }
    if (hasControlCharacters(message.sender())) {
      return SmtpReply.of(501, "5.1.7", "Bad sender address syntax (refused locally)");
    }
    return null;
  }

  /**
   * MAIL with SIZE when offered (RFC 1870 section 6), BODY=8BITMIME for any content not declared
   * 7-bit when offered (RFC 6152 section 2; binary goes as 8BITMIME, since it goes with DATA),
   * SMTPUTF8 when the message needs it ({@link #localRefusal} made sure it is offered), and RET and
   * ENVID when DSN is offered (RFC 3461 sections 4.3 and 4.4).
   */
  private MailFrom mail(OutboundMessage message) {
    boolean dsn = capabilities.dsn();
    MailParameters parameters =
        new MailParameters(
            capabilities.sizeOffered()
                ? OptionalLong.of(message.content().size())
                : OptionalLong.empty(),
            message.bodyType() != BodyType.SEVEN_BIT && capabilities.eightBitMime()
                ? BodyType.EIGHT_BIT_MIME
                : BodyType.SEVEN_BIT,
            message.smtpUtf8(),
            dsn ? message.ret() : Ret.UNSPECIFIED,
            dsn && message.envelopeId() != null
                ? Optional.of(Xtext.encode(message.envelopeId()))
                : Optional.empty());
    Optional<Mailbox> reversePath =
        message.sender().isEmpty() ? Optional.empty() : Optional.of(Mailbox.of(message.sender()));
    return new MailFrom(reversePath, parameters);
  }

  /** RCPT with NOTIFY and ORCPT when DSN is offered (RFC 3461 sections 4.1 and 4.2). */
  private RcptTo rcpt(Recipient recipient) {
    Mailbox forwardPath = Mailbox.of(recipient.address());
    if (!capabilities.dsn()) {
      return new RcptTo(forwardPath, Set.of(), Optional.empty());
    }
    return new RcptTo(
        forwardPath,
        recipient.notifications(),
        Optional.ofNullable(recipient.originalRecipient()).map(TransactionPlanner::orcpt));
  }

  /**
   * RFC 3461 section 4.2: {@code addr-type ";" xtext}. The stored value is decoded, so only the
   * part after the type is encoded; a value without a valid type is taken as an rfc822 address.
   */
  static String orcpt(String original) {
    int semicolon = original.indexOf(';');
    if (semicolon > 0 && isAtom(original.substring(0, semicolon))) {
      return original.substring(0, semicolon)
          + ";"
          + Xtext.encode(original.substring(semicolon + 1));
    }
    return "rfc822;" + Xtext.encode(original);
  }

  private static boolean isAtom(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!ok && c != '-') {
        return false;
      }
    }
    return !text.isEmpty();
  }

  private static boolean hasControlCharacters(String address) {
    for (int i = 0; i < address.length(); i++) {
      char c = address.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return true;
      }
    }
    return false;
  }
}
