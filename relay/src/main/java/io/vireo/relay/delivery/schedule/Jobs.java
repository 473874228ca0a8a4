package io.vireo.relay.delivery.schedule;

import io.vireo.queue.DamagedContentException;
import io.vireo.queue.MessageContent;
import io.vireo.queue.Spool;
import io.vireo.queue.StoredMessage;
import io.vireo.relay.delivery.outcome.ContentSource;
import io.vireo.relay.delivery.outcome.DeliveryLog;
import io.vireo.relay.delivery.outcome.LocalReplies;
import io.vireo.relay.delivery.outcome.Outcomes;
import io.vireo.relay.delivery.outcome.RecipientOutcome;
import io.vireo.relay.protocol.SmtpReply;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What every transport's worker does with a job before and after its own part: shared helpers. */
final class Jobs {
  private static final Logger log = LoggerFactory.getLogger(Jobs.class);

  private Jobs() {}

  /** The job's message from the spool; empty (with the job dealt with) when it cannot be read. */
  static Optional<StoredMessage> read(Spool spool, Outcomes outcomes, DeliveryJob job) {
    Optional<StoredMessage> stored;
    try {
      stored = spool.read(job.id());
    } catch (DamagedContentException e) {
      // Damage does not heal: fail it now so the sender hears of it, rather than after max-age.
      log.warn("{}: {}; failing its recipients", job.id(), e.getMessage());
      outcomes.record(
          job.envelope(),
          undeliverable(job, null, LocalReplies.damagedContent()),
          ContentSource.of(MessageContent.of(new byte[0])));
      return Optional.empty();
    } catch (RuntimeException e) {
      log.warn("{}: cannot read the message: {}", job.id(), e.toString());
      outcomes.record(
          job.envelope(),
          tryAgain(job, null, LocalReplies.localProblem("cannot read the message"), null),
          ContentSource.fromSpool(spool, job.id()));
      return Optional.empty();
    }
    if (stored.isEmpty()) {
      log.warn("{}: no longer in the spool; not delivered", job.id());
    }
    return stored;
  }

  /** Defers every recipient of the job with one reply. */
  static List<RecipientOutcome> tryAgain(
      DeliveryJob job, String relay, SmtpReply reply, Instant notBefore) {
    return job.recipients().stream()
        .<RecipientOutcome>map(s -> new RecipientOutcome.TryAgain(s, relay, reply, notBefore))
        .toList();
  }

  /** Fails every recipient of the job with one reply. */
  static List<RecipientOutcome> undeliverable(DeliveryJob job, String relay, SmtpReply reply) {
    return job.recipients().stream()
        .<RecipientOutcome>map(s -> new RecipientOutcome.Undeliverable(s, relay, reply))
        .toList();
  }

  /** Defers the jobs a suspended destination handed back, to the end of its pause. */
  static void deferSuspended(
      Spool spool,
      Outcomes outcomes,
      Destination destination,
      Destination.Next.Suspended suspended) {
    SmtpReply reply =
        LocalReplies.suspended(destination.key(), suspended.until(), suspended.reason());
    int recipients = 0;
    for (DeliveryJob job : suspended.jobs()) {
      outcomes.record(
          job.envelope(),
          tryAgain(job, null, reply, suspended.until()),
          ContentSource.fromSpool(spool, job.id()));
      recipients += job.recipients().size();
    }
    // One line for the pass, not one per recipient (Outcomes logs none for these).
    DeliveryLog.deferredWhileSuspended(
        destination.key(),
        suspended.until(),
        recipients,
        suspended.jobs().size(),
        suspended.reason());
  }
}
