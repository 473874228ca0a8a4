package io.vireo.relay.delivery;

import io.vireo.queue.Envelope;
import io.vireo.queue.MessageContent;
import io.vireo.queue.MessageId;
import io.vireo.queue.QueuedMessage;
import io.vireo.queue.Spool;
import io.vireo.queue.SpoolEvent;
import io.vireo.queue.SpoolStats;
import io.vireo.queue.StoredMessage;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real spool with a copy of every event recorded through it, so tests can check the order and
 * timing of outcomes (the spool itself only keeps each recipient's latest state).
 */
final class EventRecordingSpool implements Spool {
  private final Spool delegate;
  private final List<SpoolEvent> events = new CopyOnWriteArrayList<>();

  EventRecordingSpool(Spool delegate) {
    this.delegate = delegate;
  }

  /** Every event recorded so far, oldest first. */
  List<SpoolEvent> events() {
    return List.copyOf(events);
  }

  /** The events for one recipient of one message, oldest first. */
  List<SpoolEvent> events(MessageId id, String recipient) {
    return events.stream()
        .filter(e -> e.messageId().equals(id) && e.recipient().equals(recipient))
        .toList();
  }

  <T extends SpoolEvent> List<T> events(Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  @Override
  public void store(Envelope envelope, MessageContent content) {
    delegate.store(envelope, content);
  }

  @Override
  public void record(SpoolEvent event) {
    // Listed first: the real spool's state changes before record() returns, and a test that saw
    // the new state must find the event.
    events.add(event);
    try {
      delegate.record(event);
    } catch (RuntimeException e) {
      events.remove(event);
      throw e;
    }
  }

  @Override
  public Optional<StoredMessage> read(MessageId id) {
    return delegate.read(id);
  }

  @Override
  public Optional<QueuedMessage> find(MessageId id) {
    return delegate.find(id);
  }

  @Override
  public List<QueuedMessage> pending() {
    return delegate.pending();
  }

  @Override
  public SpoolStats stats() {
    return delegate.stats();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
