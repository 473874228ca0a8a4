package io.vireo.relay.delivery.outcome.dsn;

import io.vireo.queue.MessageContent;
import java.util.Objects;

/** The outcome of converting a message to 7-bit for a server without 8BITMIME (RFC 6152). */
public sealed interface DowngradeResult {

  /** The message has no octet above 127: send it as it is. */
  record Unchanged() implements DowngradeResult {}

  /**
   * The message with every 8-bit part re-encoded; all its octets are below 128 and its lines at
   * most 998 octets, so it can go with BODY=7BIT.
   */
  record Converted(MessageContent content) implements DowngradeResult {
    public Converted {
      Objects.requireNonNull(content, "content");
    }
  }

  /**
   * The message cannot be made 7-bit without changing its meaning: the caller bounces the
   * recipients with 5.6.3 ("conversion required but not supported", RFC 3463).
   *
   * @param reason why, for the bounce's diagnostic text and the log
   */
  record Impossible(String reason) implements DowngradeResult {
    public Impossible {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
