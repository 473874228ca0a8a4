package io.vireo.relay.admin;

import io.vireo.queue.MessageId;
import io.vireo.queue.QueuedMessage;
import io.vireo.relay.delivery.DestinationStats;
import java.util.List;
import java.util.Optional;

/** The queue as the admin API sees it and steers it; the relay implements it over its spool. */
public interface QueueControl {
  /** Every message with a recipient not yet final, oldest first (a snapshot). */
  List<QueuedMessage> pending();

  Optional<QueuedMessage> find(MessageId id);

  /** The destinations delivery knows now, with their ready queues. */
  List<DestinationStats> destinations();

  /** Retries the selected recipients now; returns the messages and recipients scheduled. */
  Counts flush(QueueSelection selection);

  /**
   * Fails the selected recipients for good and sends their senders a DSN; returns the messages and
   * recipients bounced.
   */
  Counts bounce(QueueSelection selection);

  /** How many messages and recipients an operation touched. */
  record Counts(long messages, long recipients) {}

  /** A relay without a queue to show (tests of the admin server alone). */
  QueueControl NONE =
      new QueueControl() {
        @Override
        public List<QueuedMessage> pending() {
          return List.of();
        }

        @Override
        public Optional<QueuedMessage> find(MessageId id) {
          return Optional.empty();
        }

        @Override
        public List<DestinationStats> destinations() {
          return List.of();
        }

        @Override
        public Counts flush(QueueSelection selection) {
          return new Counts(0, 0);
        }

        @Override
        public Counts bounce(QueueSelection selection) {
          return new Counts(0, 0);
        }
      };
}
