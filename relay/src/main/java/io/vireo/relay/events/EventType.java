package io.vireo.relay.events;

import java.util.Locale;

/** What happened to a recipient; {@link #wireName()} is the {@code type} of the JSON event. */
public enum EventType {
  /** The message was accepted and stored (one event per recipient). */
  RECEIVED,
  /** The next hop took it (2xx). */
  DELIVERED,
  /** A temporary failure; retried later. */
  DEFERRED,
  /** A permanent failure; the sender gets a report unless it asked for none. */
  BOUNCED,
  /** Still failing at {@code delivery.retry.max-age}: given up (4.4.7), reported as a bounce. */
  EXPIRED,
  /** On the suppression list: refused at RCPT, or held in the queue. */
  SUPPRESSED;

  private final String wireName = name().toLowerCase(Locale.ROOT);

  public String wireName() {
    return wireName;
  }

  /** The type with this wire name. */
  public static EventType fromWire(String name) {
    for (EventType type : values()) {
      if (type.wireName.equals(name)) {
        return type;
      }
    }
    throw new IllegalArgumentException("unknown event type: " + name);
  }
}
