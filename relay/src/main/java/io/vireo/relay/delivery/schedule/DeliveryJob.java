package io.vireo.relay.delivery.schedule;

import io.vireo.queue.Envelope;
import io.vireo.queue.MessageId;
import io.vireo.queue.QueuedMessage;
import io.vireo.queue.RecipientState;
import io.vireo.queue.RecipientStatus;
import io.vireo.queue.Spool;
import io.vireo.relay.delivery.transport.NextHops;
import io.vireo.relay.delivery.transport.Transport;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One message's recipients that go to one destination together: in one SMTP transaction, or one
 * pass of a mailbox transport.
 *
 * @param envelope the message's envelope as spooled
 * @param recipients the recipients due, with their attempt counts (which pick the retry delay)
 * @param transport how they leave (for SMTP, where to connect), from the lookup that routed this
 *     job
 */
record DeliveryJob(Envelope envelope, List<RecipientStatus> recipients, Transport transport) {
  DeliveryJob {
    Objects.requireNonNull(envelope, "envelope");
    recipients = List.copyOf(recipients);
    if (recipients.isEmpty()) {
      throw new IllegalArgumentException("a delivery job needs at least one recipient");
    }
    Objects.requireNonNull(transport, "transport");
  }

  /** A job for SMTP through {@code hops}. */
  DeliveryJob(Envelope envelope, List<RecipientStatus> recipients, NextHops hops) {
    this(envelope, recipients, new Transport.Smtp(hops));
  }

  /** Where an SMTP job connects; only {@link DestinationWorker} asks, and only for SMTP jobs. */
  NextHops hops() {
    if (transport instanceof Transport.Smtp(NextHops hops)) {
      return hops;
    }
    throw new IllegalStateException(id() + " is not an SMTP job: " + transport);
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
    return left.isEmpty() ? Optional.empty() : Optional.of(new DeliveryJob(envelope, left, transport));
  }
}
