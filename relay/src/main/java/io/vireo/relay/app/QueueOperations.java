package io.vireo.relay.app;

import io.vireo.queue.MessageId;
import io.vireo.queue.QueuedMessage;
import io.vireo.queue.RecipientState;
import io.vireo.queue.RecipientStatus;
import io.vireo.queue.Spool;
import io.vireo.queue.SpoolEvent;
import io.vireo.relay.admin.QueueControl;
import io.vireo.relay.admin.QueueSelection;
import io.vireo.relay.delivery.DeliveryEngine;
import io.vireo.relay.delivery.DestinationStats;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running relay's queue for the admin API: read from the spool, steered through the spool's
 * events journal and the delivery engine, so every change is durable before it acts.
 */
final class QueueOperations implements QueueControl {
  private static final Logger log = LoggerFactory.getLogger(QueueOperations.class);

  /** What the bounce report says; RFC 3463 5.0.0: permanent, no more specific reason. */
  static final String OPERATOR_BOUNCE = "550 5.0.0 Bounced by the mail system administrator";

  private final Spool spool;
  private final DeliveryEngine delivery;
  private final Clock clock;

  QueueOperations(Spool spool, DeliveryEngine delivery, Clock clock) {
    this.spool = spool;
    this.delivery = delivery;
    this.clock = clock;
  }

  @Override
  public List<QueuedMessage> pending() {
    return spool.pending();
  }

  @Override
  public Optional<QueuedMessage> find(MessageId id) {
    return spool.find(id);
  }

  @Override
  public List<DestinationStats> destinations() {
    return delivery.stats().queues();
  }

  @Override
  public Counts flush(QueueSelection selection) {
    long messages = 0;
    long recipients = 0;
    for (QueuedMessage message : candidates(selection)) {
      List<String> addresses =
          selection.recipients(message).stream()
              .filter(r -> r.state() != RecipientState.FAILED)
              .map(r -> r.recipient().address())
              .toList();
      if (!addresses.isEmpty()) {
        delivery.attemptNow(message.id(), addresses);
        messages++;
        recipients += addresses.size();
      }
    }
    log.info("queue flush {}: {} messages, {} recipients", describe(selection), messages, recipients);
    return new Counts(messages, recipients);
  }

  @Override
  public Counts bounce(QueueSelection selection) {
    long messages = 0;
    long recipients = 0;
    for (QueuedMessage message : candidates(selection)) {
      List<RecipientStatus> chosen = selection.recipients(message);
      if (chosen.isEmpty()) {
        continue;
      }
      for (RecipientStatus status : chosen) {
        // Durable before the bounce is sent: a crash in between bounces it at the next start.
        spool.record(
            new SpoolEvent.Failed(
                message.id(), status.recipient().address(), clock.instant(), OPERATOR_BOUNCE));
      }
      delivery.attemptNow(message.id(), chosen.stream().map(r -> r.recipient().address()).toList());
      messages++;
      recipients += chosen.size();
    }
    log.info("queue bounce {}: {} messages, {} recipients", describe(selection), messages, recipients);
    return new Counts(messages, recipients);
  }

  private List<QueuedMessage> candidates(QueueSelection selection) {
    if (selection instanceof QueueSelection.One(MessageId id)) {
      return spool.find(id).filter(m -> !m.isFinal()).stream().toList();
    }
    return spool.pending();
  }

  private static String describe(QueueSelection selection) {
    return switch (selection) {
      case QueueSelection.One one -> one.id().value();
      case QueueSelection.Domain domain -> "domain " + domain.domain();
      case QueueSelection.All all -> "all";
    };
  }
}
