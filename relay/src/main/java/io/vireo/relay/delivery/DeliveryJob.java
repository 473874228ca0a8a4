package io.vireo.relay.delivery;

import io.vireo.queue.Envelope;
import io.vireo.queue.MessageId;
import io.vireo.queue.RecipientStatus;
import java.util.List;
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
}
