package io.vireo.relay.delivery.outcome.dsn;

import io.vireo.queue.Envelope;
import io.vireo.queue.MessageContent;
import java.util.Objects;

/**
 * A composed delivery status notification, ready to be spooled and delivered like any other
 * message.
 *
 * @param envelope null sender, one recipient (the original sender), a fresh queue id
 * @param content the RFC 5322 message with its {@code multipart/report} body, CRLF line endings
 */
public record Bounce(Envelope envelope, MessageContent content) {
  public Bounce {
    Objects.requireNonNull(envelope, "envelope");
    Objects.requireNonNull(content, "content");
  }
}
