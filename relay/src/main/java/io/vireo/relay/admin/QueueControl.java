package io.vireo.relay.admin;

import io.vireo.queue.MessageId;
import io.vireo.queue.QueuedMessage;
import io.vireo.relay.delivery.DestinationStats;
import java.util.List;
import java.util.Optional;

/** The queue as the admin API sees it and steers it; the relay implements it over its spool. */
public interface QueueControl {
  /**
   * Up to {@code max} messages with a recipient not yet final, with ids above {@code after} (null:
   * from the first), in id order: a listing walks the queue page by page in bounded memory.
   */
  List<QueuedMessage> page(MessageId after, int max);

  Optional<QueuedMessage> find(MessageId id);

  /** The destinations delivery knows now, with their ready queues. */
  List<DestinationStats> destinations();

  /**
   * Applies {@code change} to the selected recipients it can act on, each durably before it acts,
   * reporting the counts so far to {@code progress} now and then; returns the final counts.
   */
  Counts change(QueueChange change, QueueSelection selection, Progress progress);

  /**
   * Stops delivery to {@code destination} (a key of {@link #destinations}) until {@link #resume}:
   * its due recipients wait in its queue without a connection. Returns false when it was already
   * suspended by the operator.
   */
  boolean suspend(String destination);

  /** Lets delivery to {@code destination} go on; false when the operator had not suspended it. */
  boolean resume(String destination);

  /** How many messages and recipients an operation touched. */
  record Counts(long messages, long recipients) {}

  /** Told the counts so far while a long operation runs. */
  @FunctionalInterface
  interface Progress {
    void soFar(Counts counts);

    Progress NONE = counts -> {};
  }

  /** A relay without a queue to show (tests of the admin server alone). */
  QueueControl NONE =
      new QueueControl() {
        @Override
        public List<QueuedMessage> page(MessageId after, int max) {
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
        public Counts change(QueueChange change, QueueSelection selection, Progress progress) {
          return new Counts(0, 0);
        }

        @Override
        public boolean suspend(String destination) {
          return false;
        }

        @Override
        public boolean resume(String destination) {
          return false;
        }
      };
}
