package io.vireo.queue.chronicle;

import io.vireo.queue.RecipientState;
import io.vireo.queue.RecipientStatus;
import io.vireo.queue.SpoolEvent;

/**
 * The recipient state machine: what one event does to one recipient's status. Final states
 * (delivered, bounced, deleted) are sticky, so replaying a journal that holds a late duplicate event gives
 * the same result as the live run that ignored it.
 */
final class RecipientTransitions {
  private RecipientTransitions() {}

  static RecipientStatus apply(RecipientStatus status, SpoolEvent event) {
    if (status.state().isFinal()) {
      return status;
    }
    return switch (event) {
      // A successful attempt is still an attempt: DSNs and the queue listing count it.
      case SpoolEvent.Delivered d ->
          new RecipientStatus(
              status.recipient(), RecipientState.DELIVERED, status.attempts() + 1, null, d.reply());
      // An attempt that was under way when the operator held the recipient: counted, still held.
      case SpoolEvent.Deferred d when status.state() == RecipientState.HELD ->
          new RecipientStatus(
              status.recipient(), RecipientState.HELD, status.attempts() + 1, null, d.reply());
      case SpoolEvent.Deferred d ->
          new RecipientStatus(
              status.recipient(),
              RecipientState.DEFERRED,
              status.attempts() + 1,
              d.nextAttempt(),
              d.reply());
      // Nothing more to attempt: the next step is the bounce, so there is no next attempt time.
      case SpoolEvent.Failed f ->
          new RecipientStatus(
              status.recipient(), RecipientState.FAILED, status.attempts() + 1, null, f.reply());
      // Reporting the failure is not a delivery attempt; keep the failure reason for the listing.
      case SpoolEvent.Bounced _ ->
          new RecipientStatus(
              status.recipient(),
              RecipientState.BOUNCED,
              status.attempts(),
              null,
              status.lastReply());
      // A failure already owes its bounce: holding it would only hide it from the sender.
      case SpoolEvent.Held _ when status.state() == RecipientState.FAILED -> status;
      case SpoolEvent.Held _ ->
          new RecipientStatus(
              status.recipient(), RecipientState.HELD, status.attempts(), null, status.lastReply());
      // Due at the release: pending if it was never tried, else deferred with its history.
      case SpoolEvent.Released r when status.state() == RecipientState.HELD ->
          new RecipientStatus(
              status.recipient(),
              status.attempts() == 0 ? RecipientState.PENDING : RecipientState.DEFERRED,
              status.attempts(),
              r.at(),
              status.lastReply());
      case SpoolEvent.Released _ -> status;
      case SpoolEvent.Deleted _ ->
          new RecipientStatus(
              status.recipient(),
              RecipientState.DELETED,
              status.attempts(),
              null,
              status.lastReply());
    };
  }
}
