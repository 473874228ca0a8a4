package io.vireo.relay.server;

import io.vireo.relay.protocol.SmtpReply;
import java.util.Optional;

/**
 * A check of each RCPT after the relay policy accepted it (the suppression list). A refusal is
 * answered as it is and does not count as a protocol error: a sender with many refused recipients
 * is not misbehaving.
 */
@FunctionalInterface
public interface RecipientCheck {
  /** Accepts every recipient. */
  RecipientCheck NONE = (sender, recipient) -> Optional.empty();

  /**
   * @param sender the envelope sender, {@code ""} for the null sender
   * @return the reply refusing {@code recipient}, or empty to accept it
   */
  Optional<SmtpReply> check(String sender, String recipient);
}
