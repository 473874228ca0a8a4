package io.vireo.queue;

import java.time.Instant;
import java.util.Objects;

/**
 * A recipient with the state the events journal gives it.
 *
 * @param attempts delivery attempts recorded so far
 * @param nextAttempt when to try next (arrival time for a new recipient); null once final
 * @param lastReply the last remote reply or failure reason, or null
 */
public record RecipientStatus(
    Recipient recipient, RecipientState state, int attempts, Instant nextAttempt, String lastReply) {
  public RecipientStatus {
    Objects.requireNonNull(recipient, "recipient");
    Objects.requireNonNull(state, "state");
  }
}
