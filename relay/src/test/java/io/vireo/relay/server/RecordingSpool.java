package io.vireo.relay.server;

import io.vireo.queue.Envelope;
import io.vireo.queue.Histogram;
import io.vireo.queue.MessageContent;
import io.vireo.queue.MessageId;
import io.vireo.queue.QueuedMessage;
import io.vireo.queue.RecipientState;
import io.vireo.queue.RecipientStatus;
import io.vireo.queue.Spool;
import io.vireo.queue.SpoolEvent;
import io.vireo.queue.SpoolException;
import io.vireo.queue.SpoolStats;
import io.vireo.queue.StoredMessage;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/** A spool for session tests: keeps messages in memory and can be told to fail every store. */
final class RecordingSpool implements Spool {
  private final List<StoredMessage> stored = new CopyOnWriteArrayList<>();
  private final List<SpoolEvent> events = new CopyOnWriteArrayList<>();
  private final AtomicBoolean failing = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  /** While true, every {@link #store} throws {@link SpoolException} and stores nothing. */
  void failStores(boolean fail) {
    failing.set(fail);
  }

  List<StoredMessage> messages() {
    return List.copyOf(stored);
  }

  StoredMessage only() {
    if (stored.size() != 1) {
      throw new AssertionError("expected one stored message, found " + stored.size());
    }
    return stored.getFirst();
  }

  @Override
  public void store(Envelope envelope, MessageContent content) {
    if (closed.get()) {
      throw new SpoolException("spool closed");
    }
    if (failing.get()) {
      throw new SpoolException("no space left on device (test)");
    }
    stored.add(new StoredMessage(envelope, content));
  }

  @Override
  public void record(SpoolEvent event) {
    events.add(event);
  }

  @Override
  public Optional<StoredMessage> read(MessageId id) {
    return stored.stream().filter(m -> m.envelope().id().equals(id)).findFirst();
  }

  @Override
  public Optional<QueuedMessage> find(MessageId id) {
    return read(id).map(RecordingSpool::queued);
  }

  @Override
  public List<QueuedMessage> pending() {
    return stored.stream().map(RecordingSpool::queued).toList();
  }

  /** Nothing is ever synced in memory: empty sync histograms. */
  @Override
  public SpoolStats stats() {
    Histogram.Snapshot none = new Histogram(1).snapshot();
    return new SpoolStats(stored.size(), Long.MAX_VALUE, 0, true, none, none);
  }

  @Override
  public void close() {
    closed.set(true);
  }

  private static QueuedMessage queued(StoredMessage message) {
    Envelope envelope = message.envelope();
    List<RecipientStatus> recipients =
        envelope.recipients().stream()
            .map(r -> new RecipientStatus(r, RecipientState.PENDING, 0, envelope.arrival(), null))
            .toList();
    return new QueuedMessage(envelope, message.content().size(), recipients);
  }
}
