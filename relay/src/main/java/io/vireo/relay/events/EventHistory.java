package io.vireo.relay.events;

import io.vireo.queue.MessageId;
import java.util.List;

/** A message's events as the event log holds them: its history, for {@code GET /v1/messages/{id}}. */
@FunctionalInterface
public interface EventHistory {
  /** No history: the event log is off. */
  EventHistory NONE = (id, max) -> new History(List.of(), false);

  /**
   * @param max at most this many, the latest
   */
  History of(MessageId id, int max);

  /**
   * @param events oldest first
   * @param truncated whether earlier events were left out to stay within the maximum
   */
  record History(List<Event> events, boolean truncated) {
    public History {
      events = List.copyOf(events);
    }
  }
}
