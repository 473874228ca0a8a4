package io.vireo.queue;

import java.util.Objects;

/** A message read back from the spool: what was stored, byte for byte. */
public record StoredMessage(Envelope envelope, MessageContent content) {
  public StoredMessage {
    Objects.requireNonNull(envelope, "envelope");
    Objects.requireNonNull(content, "content");
  }
}
