package io.vireo.relay.delivery;

import io.vireo.queue.Envelope;
import io.vireo.queue.MessageId;
import io.vireo.queue.RecipientStatus;
import java.util.List;
import java.util.Objects;

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
}
