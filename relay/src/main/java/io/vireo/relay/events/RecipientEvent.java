package io.vireo.relay.events;

import io.vireo.queue.MessageId;
import java.time.Instant;
import java.util.Objects;

/**
 * One recipient state change as a part reports it, before it gets its id and labels.
 *
 * @param id the queue id; null for a recipient refused at RCPT, which never had one
 * @param sender the envelope sender ({@code ""} for the null sender), or null when unknown
 * @param relay the server that answered, {@code host[ip]:port}, or null when none was reached
 * @param reply the SMTP reply that decided it (remote or local), or null
 * @param dsn the RFC 3463 status, such as {@code 5.1.1}, or null
 * @param nextAttempt for a deferral, when it is tried again; else null
 */
public record RecipientEvent(
    EventType type,
    MessageId id,
    String recipient,
    String sender,
    Instant time,
    String relay,
    String reply,
    String dsn,
    Instant nextAttempt) {
  public RecipientEvent {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(recipient, "recipient");
    Objects.requireNonNull(time, "time");
  }

  /** The SMTP reply code, or 0 without a reply or when it does not start with one. */
  public int replyCode() {
    if (reply == null || reply.length() < 3) {
      return 0;
    }
    int code = 0;
    for (int i = 0; i < 3; i++) {
      char c = reply.charAt(i);
      if (c < '0' || c > '9') {
        return 0;
      }
      code = code * 10 + (c - '0');
    }
    return code;
  }
}
