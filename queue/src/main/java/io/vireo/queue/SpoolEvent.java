package io.vireo.queue;

import java.time.Instant;
import java.util.Objects;

/**
 * One per-recipient outcome of a delivery attempt, appended to the events journal. The current state of
 * a recipient is the last event recorded for it; with no event it is pending.
 */
public sealed interface SpoolEvent {
  MessageId messageId();

  /** The recipient address exactly as in the envelope. */
  String recipient();

  Instant at();

  /** Accepted by the next hop: final. */
  record Delivered(MessageId messageId, String recipient, Instant at, String relay, String reply)
      implements SpoolEvent {
    public Delivered {
      Objects.requireNonNull(messageId);
      Objects.requireNonNull(recipient);
      Objects.requireNonNull(at);
    }
  }

  /** Temporary failure: try again at {@code nextAttempt}. */
  record Deferred(MessageId messageId, String recipient, Instant at, Instant nextAttempt, String reply)
      implements SpoolEvent {
    public Deferred {
      Objects.requireNonNull(messageId);
      Objects.requireNonNull(recipient);
      Objects.requireNonNull(at);
      Objects.requireNonNull(nextAttempt);
    }
  }

  /** Permanent failure (5xx, or the retry window ran out): a bounce is owed, not yet queued. */
  record Failed(MessageId messageId, String recipient, Instant at, String reply) implements SpoolEvent {
    public Failed {
      Objects.requireNonNull(messageId);
      Objects.requireNonNull(recipient);
      Objects.requireNonNull(at);
    }
  }

  /**
   * The failure was reported to the sender: {@code bounceId} is the queued DSN, or null when no bounce is
   * sent (null sender, NOTIFY=NEVER). Final.
   */
  record Bounced(MessageId messageId, String recipient, Instant at, MessageId bounceId)
      implements SpoolEvent {
    public Bounced {
      Objects.requireNonNull(messageId);
      Objects.requireNonNull(recipient);
      Objects.requireNonNull(at);
    }
  }

  /**
   * Held by the operator: the recipient is not attempted until {@link Released}. A delivery already
   * under way finishes; a temporary failure of it leaves the recipient held.
   */
  record Held(MessageId messageId, String recipient, Instant at) implements SpoolEvent {
    public Held {
      Objects.requireNonNull(messageId);
      Objects.requireNonNull(recipient);
      Objects.requireNonNull(at);
    }
  }

  /** Released by the operator: a held recipient is due again at {@code at}. */
  record Released(MessageId messageId, String recipient, Instant at) implements SpoolEvent {
    public Released {
      Objects.requireNonNull(messageId);
      Objects.requireNonNull(recipient);
      Objects.requireNonNull(at);
    }
  }

  /** Removed by the operator without a report to the sender. Final. */
  record Deleted(MessageId messageId, String recipient, Instant at) implements SpoolEvent {
    public Deleted {
      Objects.requireNonNull(messageId);
      Objects.requireNonNull(recipient);
      Objects.requireNonNull(at);
    }
  }
}
