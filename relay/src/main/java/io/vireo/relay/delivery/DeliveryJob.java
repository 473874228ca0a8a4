package io.vireo.relay.delivery;

import io.vireo.queue.Envelope;
import io.vireo.queue.MessageId;
import io.vireo.queue.QueuedMessage;
import io.vireo.queue.RecipientState;
import io.vireo.queue.RecipientStatus;
import io.vireo.queue.Spool;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.Objects;

/**
 * One message's recipients that go to one destination together, in one SMTP transaction.
 *
 * @param envelope the message's envelope as spooled
 * @param recipients the recipients due, with their attempt counts (which pick the retry delay)
 * @param hops where to connect, from the lookup that routed this job
 */
record DeliveryJob(Envelope envelope, List<RecipientStatus> recipients, NextHops hops) {
  DeliveryJob {
    Objects.requireNonNull(envelope, "envelope");
    recipients = List.copyOf(recipients);
    if (recipients.isEmpty()) {
      throw new IllegalArgumentException("a delivery job needs at least one recipient");
    }
    Objects.requireNonNull(hops, "hops");
  }

  MessageId id() {
    return envelope.id();
  }

  /**
   * This job less the recipients the operator held, deleted or bounced while it waited in its
   * destination's queue (an in-memory lookup); empty when none is left.
   */
  Optional<DeliveryJob> stillDue(Spool spool) {
    Optional<QueuedMessage> current = spool.find(id());
    if (current.isEmpty()) {
      return Optional.of(this); // not readable now: the attempt finds out and says so
    }
    Set<String> due = new HashSet<>();
    for (RecipientStatus status : current.get().recipients()) {
      if (!status.state().isFinal()
          && status.state() != RecipientState.HELD
          && status.state() != RecipientState.FAILED) {
        due.add(status.recipient().address());
      }
    }
    List<RecipientStatus> left =
        recipients.stream().filter(r -> due.contains(r.recipient().address())).toList();
    if (left.size() == recipients.size()) {
      return Optional.of(this);
    }
    return left.isEmpty() ? Optional.empty() : Optional.of(new DeliveryJob(envelope, left, hops));
  }
}
