package io.vireo.queue;

import java.util.List;
import java.util.Optional;

/**
 * The durable store of accepted messages and of what happened to each recipient. Every method is safe to
 * call from many (virtual) threads at once; writes are funnelled to a single journal writer.
 */
public interface Spool extends AutoCloseable {

  /**
   * Appends a message and returns once it is as durable as the spool's {@link Durability} promises. The
   * caller may then acknowledge it (SMTP 250). Blocks; meant for virtual threads.
   *
   * @throws SpoolException on I/O failure or a full disk; nothing is stored then
   */
  void store(Envelope envelope, MessageContent content);

  /** Appends a delivery outcome to the events journal, durably, before the caller acts on it. */
  void record(SpoolEvent event);

  /**
   * Appends a delivery outcome without waiting for its sync: it becomes durable with the next group
   * commit, a few milliseconds later. Only for outcomes whose loss in a crash costs no more than a
   * repeated attempt (a {@link SpoolEvent.Delivered} recipient sent again, which at-least-once
   * delivery allows), so the delivery hot path does not wait for an fsync per message. A failed write
   * is logged by the spool. The default waits, like {@link #record}.
   */
  default void recordEventually(SpoolEvent event) {
    record(event);
  }

  /**
   * Returns once every event handed to {@link #recordEventually} before this call is in the
   * journal: it then survives the process dying, though not yet a power loss (that waits for the
   * sync). For a caller that must not let its next step be seen outside before the last outcome
   * would survive a crash. The default has nothing to wait for: its {@link #recordEventually}
   * waits.
   */
  default void awaitRecordedEventually() {}

  /**
   * Has {@code listener} told the id of each message whose last recipient becomes final (delivered,
   * bounced or deleted) from now on, once that is recorded: the moment Postfix logs {@code
   * removed}. Called on the spool's writer thread, so it must be quick and must not call the spool
   * back. One listener; a later call replaces it. The default tells nothing.
   */
  default void onFinished(java.util.function.Consumer<MessageId> listener) {}

  /** The envelope and content of a message still in the spool. */
  Optional<StoredMessage> read(MessageId id);

  /** One message's queue view, if it is still known to the spool. */
  Optional<QueuedMessage> find(MessageId id);

  /** A snapshot of every message that still has a non-final recipient, oldest first. */
  List<QueuedMessage> pending();

  /**
   * Up to {@code max} messages with a non-final recipient whose id is above {@code after} (null:
   * from the first), in id order (ids grow with arrival). Paging with the last id of each page as
   * the next {@code after} walks a large queue in memory bounded by {@code max}, where {@link
   * #pending} copies all of it. Each page is a snapshot of its own: a message may finish or arrive
   * between two pages.
   */
  default List<QueuedMessage> pendingPage(MessageId after, int max) {
    if (max <= 0) {
      throw new IllegalArgumentException("max must be above 0: " + max);
    }
    return pending().stream()
        .filter(m -> after == null || m.id().compareTo(after) > 0)
        .sorted(java.util.Comparator.comparing(QueuedMessage::id))
        .limit(max)
        .toList();
  }

  /** Counts and gauges for health checks and metrics; cheap enough to call on every scrape. */
  SpoolStats stats();

  @Override
  void close();
}
