package io.vireo.relay.events;

/** Takes the recipient events the parts report. Implementations are thread-safe and quick. */
@FunctionalInterface
public interface EventSink {
  /** Drops every event: the event log is off. */
  EventSink NONE = event -> {};

  void publish(RecipientEvent event);
}
