package io.vireo.relay.delivery.smtp;

import io.vireo.relay.delivery.smtp.RecipientResult.Outcome;
import java.util.List;
import java.util.Objects;

/**
 * The per-recipient outcome of one {@link SmtpClientConnection#send} call, in the order the
 * recipients were given.
 *
 * @param recipients one result per recipient of the message
 * @param remote the server that answered, as {@link SmtpClientConnection#remoteDescription()}
 */
public record TransactionResult(List<RecipientResult> recipients, String remote) {

  public TransactionResult {
    recipients = List.copyOf(recipients);
    Objects.requireNonNull(remote, "remote");
  }

  /** The results with the given outcome, in recipient order. */
  public List<RecipientResult> withOutcome(Outcome outcome) {
    return recipients.stream().filter(r -> r.outcome() == outcome).toList();
  }

  public boolean allDelivered() {
    return recipients.stream().allMatch(r -> r.outcome() == Outcome.DELIVERED);
  }
}
