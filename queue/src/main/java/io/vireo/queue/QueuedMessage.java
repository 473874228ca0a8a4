package io.vireo.queue;

import java.util.List;
import java.util.Objects;

/** A message in the spool as the queue sees it: envelope, size and each recipient's state. */
public record QueuedMessage(Envelope envelope, long size, List<RecipientStatus> recipients) {
  public QueuedMessage {
    Objects.requireNonNull(envelope, "envelope");
    recipients = List.copyOf(recipients);
  }

  public MessageId id() {
    return envelope.id();
  }

  /** Every recipient is delivered or bounced: the message can leave the spool. */
  public boolean isFinal() {
    return recipients.stream().allMatch(r -> r.state().isFinal());
  }
}
