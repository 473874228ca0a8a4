package io.vireo.relay.events;

import java.util.Objects;

/**
 * An event as written to the log and sent to webhooks.
 *
 * @param eventId stable across retries and restarts ({@code <log id>-<sequence>}), so a receiver
 *     can drop a repeat
 */
public record Event(String eventId, RecipientEvent change, Labels labels) {
  public Event {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(change, "change");
    Objects.requireNonNull(labels, "labels");
  }
}
