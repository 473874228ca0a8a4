package io.vireo.relay.delivery.schedule;

import io.vireo.queue.RecipientStatus;
import io.vireo.queue.Spool;
import io.vireo.queue.StoredMessage;
import io.vireo.relay.delivery.outcome.ContentSource;
import io.vireo.relay.delivery.outcome.Outcomes;
import io.vireo.relay.delivery.outcome.RecipientOutcome;
import io.vireo.relay.delivery.transport.MailboxTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Delivers the jobs of a local or capture {@link Destination} into mailboxes through the {@link
 * MailboxTransport}, one job at a time, on its own virtual thread, and exits when the queue is
 * empty. The mailbox counterpart of {@link DestinationWorker}: the same queue, rate, outcomes and
 * shutdown, with no connection to hold.
 *
 * <p>Each recipient is written on its own (one copy per recipient, with its own {@code
 * X-Original-To:}); the store writes under {@code tmp/}, syncs and renames into {@code new/} before
 * this worker records the outcome. So a crash between the rename and the outcome reaching the
 * events journal delivers the recipient again after the restart: at least once, as for SMTP, and
 * never a partial message.
 */
final class MailboxWorker implements Runnable {
  /** The engine parts a mailbox worker uses. */
  record Context(
      Spool spool,
      Ticker ticker,
      MailboxTransport transport,
      Outcomes outcomes,
      BooleanSupplier closing,
      Consumer<Destination> onExit) {}

  private final Destination destination;
  private final Context context;

  MailboxWorker(Destination destination, Context context) {
    this.destination = destination;
    this.context = context;
  }

  @Override
  public void run() {
    boolean retired = false;
    try {
      retired = work();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (!retired) {
        destination.retire();
      }
      context.onExit().accept(destination);
    }
  }

  private boolean work() throws InterruptedException {
    while (!context.closing().getAsBoolean()) {
      switch (destination.next(context.ticker().now(), false)) {
        case Destination.Next.Retired retired -> {
          return true;
        }
        case Destination.Next.Empty empty -> {
          // Only a worker holding a connection is told this; a mailbox worker holds none.
        }
        case Destination.Next.Suspended suspended ->
            Jobs.deferSuspended(context.spool(), context.outcomes(), destination, suspended);
        case Destination.Next.Work work -> {
          if (work.rateDelay().isPositive()) {
            context.ticker().sleep(work.rateDelay()); // the destination's rate limit
          }
          deliver(work.job());
        }
      }
    }
    return false;
  }

  private void deliver(DeliveryJob job) {
    Optional<StoredMessage> stored = Jobs.read(context.spool(), context.outcomes(), job);
    if (stored.isEmpty()) {
      return;
    }
    StoredMessage message = stored.get();
    List<RecipientOutcome> outcomes = new ArrayList<>(job.recipients().size());
    for (RecipientStatus status : job.recipients()) {
      outcomes.add(context.transport().deliver(job.transport(), message, status));
    }
    context.outcomes().record(job.envelope(), outcomes, ContentSource.of(message.content()));
  }
}
