package io.vireo.relay.delivery;

import io.vireo.queue.RecipientStatus;
import io.vireo.queue.Spool;
import io.vireo.queue.StoredMessage;
import io.vireo.relay.local.LocalDelivery;
import io.vireo.relay.local.MailboxResult;
import io.vireo.relay.protocol.SmtpReply;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the jobs of a local or capture {@link Destination} into mailboxes, one job at a time, on
 * its own virtual thread, and exits when the queue is empty. The mailbox counterpart of {@link
 * DestinationWorker}: the same queue, rate, outcomes and shutdown, with no connection to hold.
 *
 * <p>Each recipient is written on its own (one copy per recipient, with its own {@code
 * X-Original-To:}); the store writes under {@code tmp/}, syncs and renames into {@code new/}
 * before this worker records the outcome. So a crash between the rename and the outcome reaching
 * the events journal delivers the recipient again after the restart: at least once, as for SMTP,
 * and never a partial message.
 */
final class MailboxWorker implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(MailboxWorker.class);

  /** The engine parts a mailbox worker uses. */
  record Context(
      Spool spool,
      Clock clock,
      LocalDelivery local,
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
      switch (destination.next(context.clock().instant(), false)) {
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
            Thread.sleep(work.rateDelay()); // the destination's rate limit
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
      outcomes.add(deliver(job.transport(), message, status));
    }
    context.outcomes().record(job.envelope(), outcomes, ContentSource.of(message.content()));
  }

  private RecipientOutcome deliver(
      Transport transport, StoredMessage message, RecipientStatus status) {
    String relay;
    MailboxResult result;
    switch (transport) {
      case Transport.LocalMailbox local -> {
        relay = "local";
        result =
            context.local().deliverLocal(message.envelope(), status.recipient(), message.content());
      }
      case Transport.Capture capture -> {
        relay = "capture:" + capture.user();
        result =
            context
                .local()
                .capture(capture.user(), message.envelope(), status.recipient(), message.content());
      }
      case Transport.Smtp smtp ->
          throw new IllegalStateException("an SMTP job on a mailbox destination: " + destination);
    }
    return switch (result) {
      case MailboxResult.Stored stored ->
          RecipientOutcome.Sent.intoMailbox(
              status, relay, LocalReplies.storedInMailbox(stored.users()));
      case MailboxResult.NoSuchUser none ->
          new RecipientOutcome.Undeliverable(
              status, relay, LocalReplies.noSuchLocalUser(status.recipient().address()));
      case MailboxResult.OverQuota full ->
          new RecipientOutcome.TryAgain(
              status,
              relay,
              LocalReplies.mailboxFull(full.user(), full.usage(), full.quota()),
              null);
      case MailboxResult.Failed failed -> {
        SmtpReply reply = LocalReplies.mailboxWriteFailed(failed.user(), failed.reason());
        log.warn("{}: {}", message.envelope().id(), reply.text());
        yield new RecipientOutcome.TryAgain(status, relay, reply, null);
      }
    };
  }
}
