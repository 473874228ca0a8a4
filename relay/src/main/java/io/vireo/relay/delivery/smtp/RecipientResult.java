package io.vireo.relay.delivery.smtp;

import io.vireo.queue.Recipient;
import io.vireo.relay.protocol.SmtpReply;
import java.util.Objects;

/**
 * What became of one recipient in one transaction: the reply that decided it, from the server or,
 * when the client refused to offer the message (SIZE, SMTPUTF8, 8-bit), made up locally.
 */
public record RecipientResult(Recipient recipient, SmtpReply response) {

  /** The three ways a recipient can end a delivery attempt. */
  public enum Outcome {
    /** 2xx: the server took responsibility for the message. */
    DELIVERED,
    /** 4xx, or anything unexpected: try again later. */
    TRANSIENT,
    /** 5xx: bounce. */
    PERMANENT;

    /** Classifies a final reply. */
    public static Outcome of(SmtpReply response) {
      if (response.isCompletion()) {
        return DELIVERED;
      }
      return response.isPermanent() ? PERMANENT : TRANSIENT;
    }
  }

  public RecipientResult {
    Objects.requireNonNull(recipient, "recipient");
    Objects.requireNonNull(response, "response");
  }

  public Outcome outcome() {
    return Outcome.of(response);
  }
}
