package io.vireo.relay.delivery.transport;

import io.vireo.queue.RecipientStatus;
import io.vireo.queue.StoredMessage;
import io.vireo.relay.delivery.outcome.LocalReplies;
import io.vireo.relay.delivery.outcome.RecipientOutcome;
import io.vireo.relay.protocol.SmtpReply;
import io.vireo.relay.local.LocalDelivery;
import io.vireo.relay.local.MailboxResult;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local and capture transports: one recipient of a message into the mailbox routing chose
 * ({@link Transport.LocalMailbox}: the users the address names; {@link Transport.Capture}: one user
 * for every recipient), and the outcome that makes. Thread-safe as its {@link LocalDelivery}.
 */
public final class MailboxTransport {
  private static final Logger log = LoggerFactory.getLogger(MailboxTransport.class);

  private final LocalDelivery local;

  public MailboxTransport(LocalDelivery local) {
    this.local = Objects.requireNonNull(local, "local");
  }

  /** Stores {@code message} for {@code status}'s recipient; an SMTP transport is a caller's bug. */
  public RecipientOutcome deliver(
      Transport transport, StoredMessage message, RecipientStatus status) {
    String relay;
    MailboxResult result;
    switch (transport) {
      case Transport.LocalMailbox mailbox -> {
        relay = "local";
        result = local.deliverLocal(message.envelope(), status.recipient(), message.content());
      }
      case Transport.Capture capture -> {
        relay = "capture:" + capture.user();
        result =
            local.capture(
                capture.user(), message.envelope(), status.recipient(), message.content());
      }
      case Transport.Smtp smtp ->
          throw new IllegalStateException("an SMTP job for the mailbox transport: " + smtp);
    }
    return switch (result) {
      case MailboxResult.Stored stored ->
          RecipientOutcome.Sent.intoMailbox(
              status, relay, LocalReplies.storedInMailbox(stored.users()));
      case MailboxResult.NoSuchUser none ->
          new RecipientOutcome.Undeliverable(
              status, relay, LocalReplies.noSuchLocalUser(status.recipient().address()));
      case MailboxResult.OverQuota full ->
          new RecipientOutcome.TryAgain(
              status,
              relay,
              LocalReplies.mailboxFull(full.user(), full.usage(), full.quota()),
              null);
      case MailboxResult.Failed failed -> {
        SmtpReply reply = LocalReplies.mailboxWriteFailed(failed.user(), failed.reason());
        log.warn("{}: {}", message.envelope().id(), reply.text());
        yield new RecipientOutcome.TryAgain(status, relay, reply, null);
      }
    };
  }
}
