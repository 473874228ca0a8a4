package io.vireo.relay.delivery.outcome.dsn;

import io.vireo.queue.Envelope;
import io.vireo.queue.Notify;
import io.vireo.queue.Recipient;
import java.util.Set;

/**
 * Decides whether a delivery status notification is owed to the sender for one recipient and
 * action, following the NOTIFY parameter of RFC 3461 section 4.1.
 *
 * <p>Rules, in order:
 *
 * <ul>
 *   <li>A message with the null sender {@code <>} never gets a DSN: it would have nowhere to go,
 *       and bounces of bounces loop (RFC 5321 section 4.5.5, RFC 3461 section 6.2).
 *   <li>NOTIFY=NEVER: no DSN at all.
 *   <li>FAILED: owed when NOTIFY is absent (the RFC 3461 default is FAILURE) or contains FAILURE.
 *   <li>DELAYED: owed when NOTIFY contains DELAY, or when NOTIFY is absent. RFC 3461 leaves delay
 *       notices for an absent NOTIFY to the MTA; Vireo sends them, as most MTAs do, because a
 *       sender who asked for nothing in particular still wants to know a message is stuck. Whether
 *       and when a delay notice is generated at all is the scheduler's configuration.
 *   <li>DELIVERED, RELAYED, EXPANDED: owed only when NOTIFY contains SUCCESS.
 * </ul>
 */
public final class NotifyPolicy {
  private NotifyPolicy() {}

  /**
   * Whether the sender of {@code original} is owed a report of {@code action} for {@code
   * recipient}.
   */
  public static boolean isOwed(Envelope original, Recipient recipient, DsnAction action) {
    if (original.hasNullSender()) {
      return false;
    }
    Set<Notify> notify = recipient.notifications();
    if (notify.contains(Notify.NEVER)) {
      return false;
    }
    return switch (action) {
      case FAILED -> notify.isEmpty() || notify.contains(Notify.FAILURE);
      case DELAYED -> notify.isEmpty() || notify.contains(Notify.DELAY);
      case DELIVERED, RELAYED, EXPANDED -> notify.contains(Notify.SUCCESS);
    };
  }

  /** Whether {@code report} is owed to the sender of {@code original}. */
  public static boolean isOwed(Envelope original, RecipientReport report) {
    return isOwed(original, report.recipient(), report.action());
  }
}
