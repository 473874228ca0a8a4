package io.vireo.relay.events;

import io.vireo.queue.Envelope;
import io.vireo.queue.Recipient;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the parts report events: adds the submission's labels, appends to the log, then tells the
 * listeners (the suppression rules). A failing log or listener is logged, never thrown at the
 * reporting part: the mail itself is already recorded in the spool.
 */
public final class EventHub implements EventSink {
  private static final Logger log = LoggerFactory.getLogger(EventHub.class);

  private final EventLog eventLog; // null: the log is off, listeners still hear every event
  private final LabelLookup labels;
  private final List<EventSink> listeners;

  public EventHub(EventLog eventLog, LabelLookup labels, List<EventSink> listeners) {
    this.eventLog = eventLog;
    this.labels = Objects.requireNonNull(labels, "labels");
    this.listeners = List.copyOf(listeners);
  }

  /** A {@code received} event for each recipient of a message just accepted. */
  public void received(Envelope envelope, Instant time) {
    for (Recipient recipient : envelope.recipients()) {
      publish(
          new RecipientEvent(
              EventType.RECEIVED,
              envelope.id(),
              recipient.address(),
              envelope.sender(),
              time,
              null,
              null,
              null,
              null));
    }
  }

  @Override
  public void publish(RecipientEvent event) {
    if (eventLog != null) {
      try {
        Labels found = event.id() == null ? Labels.NONE : labels.labels(event.id());
        eventLog.append(event, found == null ? Labels.NONE : found);
      } catch (RuntimeException e) {
        log.error("{}: cannot write the {} event for <{}>: {}", event.id(), event.type().wireName(), event.recipient(), e.toString());
      }
    }
    for (EventSink listener : listeners) {
      try {
        listener.publish(event);
      } catch (RuntimeException e) {
        log.error("event listener failed on {} <{}>", event.type().wireName(), event.recipient(), e);
      }
    }
  }
}
