package io.vireo.relay.app;

import io.vireo.queue.Envelope;
import io.vireo.queue.MessageId;
import io.vireo.queue.QueuedMessage;
import io.vireo.queue.RecipientStatus;
import io.vireo.queue.Spool;
import io.vireo.queue.SpoolEvent;
import io.vireo.relay.admin.QueueChange;
import io.vireo.relay.admin.QueueControl;
import io.vireo.relay.admin.QueuePages;
import io.vireo.relay.admin.QueueSelection;
import io.vireo.relay.delivery.DeliveryEngine;
import io.vireo.relay.delivery.DestinationStats;
import io.vireo.relay.events.EventSink;
import io.vireo.relay.events.EventType;
import io.vireo.relay.events.RecipientEvent;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running relay's queue for the admin API: read from the spool, steered through the spool's
 * events journal and the delivery engine, so every change is durable before it acts.
 *
 * <p>A change walks the queue a page at a time ({@link QueuePages}) and records each page's events
 * from a virtual thread per message, so the spool's group commit makes a page durable in a few
 * syncs rather than one per recipient: 100,000 messages cost seconds, not minutes. Each message's
 * events are durable before delivery is asked to act on them.
 */
final class QueueOperations implements QueueControl {
  private static final Logger log = LoggerFactory.getLogger(QueueOperations.class);

  /** Messages changed at once, each on its own virtual thread, before waiting for them. */
  private static final int BATCH = 1000;

  /** What the bounce report says; RFC 3463 5.0.0: permanent, no more specific reason. */
  static final String OPERATOR_BOUNCE = "550 5.0.0 Bounced by the mail system administrator";

  private final Spool spool;
  private final DeliveryEngine delivery;
  private final EventSink events;
  private final Clock clock;

  QueueOperations(Spool spool, DeliveryEngine delivery, EventSink events, Clock clock) {
    this.spool = spool;
    this.delivery = delivery;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public List<QueuedMessage> page(MessageId after, int max) {
    return spool.pendingPage(after, max);
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
  public boolean suspend(String destination) {
    return delivery.suspend(destination);
  }

  @Override
  public boolean resume(String destination) {
    return delivery.resume(destination);
  }

  @Override
  public Counts change(QueueChange change, QueueSelection selection, Progress progress) {
    Tally tally = new Tally(progress);
    try (ExecutorService perMessage = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Integer>> page = new ArrayList<>(BATCH);
      for (QueuedMessage message : candidates(selection)) {
        List<RecipientStatus> chosen =
            selection.recipients(message).stream().filter(change::appliesTo).toList();
        if (chosen.isEmpty()) {
          continue;
        }
        page.add(perMessage.submit(() -> apply(change, message.envelope(), chosen)));
        if (page.size() == BATCH) {
          tally.finish(page);
        }
      }
      tally.finish(page);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    log.info(
        "queue {} {}: {} messages, {} recipients",
        change.path(),
        selection.describe(),
        tally.messages,
        tally.recipients);
    return new Counts(tally.messages, tally.recipients);
  }

  /** The counts so far, told to the progress after each message. */
  private static final class Tally {
    private final Progress progress;
    private long messages;
    private long recipients;

    Tally(Progress progress) {
      this.progress = progress;
    }

    /** Waits for a page's messages, in order, counting each. */
    void finish(List<Future<Integer>> page) throws InterruptedException {
      for (Future<Integer> done : page) {
        int changed;
        try {
          changed = done.get();
        } catch (ExecutionException e) {
          throw e.getCause() instanceof RuntimeException r
              ? r
              : new IllegalStateException(e.getCause());
        }
        if (changed > 0) {
          messages++;
          recipients += changed;
          progress.soFar(new Counts(messages, recipients));
        }
      }
      page.clear();
    }
  }

  /**
   * One message: its events, each durable, then what delivery must do; the recipients changed. A
   * bounce is a {@code bounced} event once recorded (delivery then sends the report, and reports
   * nothing more for a recipient it finds failed already).
   */
  private int apply(QueueChange change, Envelope envelope, List<RecipientStatus> chosen) {
    MessageId id = envelope.id();
    Instant now = clock.instant();
    List<String> addresses = chosen.stream().map(r -> r.recipient().address()).toList();
    for (String address : addresses) {
      Optional<SpoolEvent> event =
          switch (change) {
            case FLUSH -> Optional.empty();
            // Durable before the bounce is sent: a crash in between bounces it at the next start.
            case BOUNCE -> Optional.of(new SpoolEvent.Failed(id, address, now, OPERATOR_BOUNCE));
            case HOLD -> Optional.of(new SpoolEvent.Held(id, address, now));
            case RELEASE -> Optional.of(new SpoolEvent.Released(id, address, now));
            case DELETE -> Optional.of(new SpoolEvent.Deleted(id, address, now));
          };
      try {
        event.ifPresent(spool::record);
      } catch (IllegalArgumentException e) {
        // Finished and forgotten since the page was read: nothing left to change.
        return 0;
      }
      if (change == QueueChange.BOUNCE) {
        events.publish(
            new RecipientEvent(
                EventType.BOUNCED, id, address, envelope.sender(), now, null, OPERATOR_BOUNCE, "5.0.0", null));
      }
    }
    switch (change) {
      // A bounce is sent by the attempt, which finds the recipients failed; a released one is due.
      case FLUSH, BOUNCE, RELEASE -> delivery.attemptNow(id, addresses);
      // A held or deleted recipient's scheduled attempt finds it so and skips it.
      case HOLD, DELETE -> {}
    }
    return addresses.size();
  }

  private Iterable<QueuedMessage> candidates(QueueSelection selection) {
    if (selection instanceof QueueSelection.One(MessageId id)) {
      return spool.find(id).filter(m -> !m.isFinal()).stream().toList();
    }
    return QueuePages.walk(spool::pendingPage, null);
  }
}
