package io.vireo.relay.delivery.outcome;

import io.vireo.queue.RecipientStatus;
import io.vireo.relay.protocol.SmtpReply;
import java.time.Instant;
import java.util.Objects;

/**
 * What one delivery attempt did for one recipient, before it is recorded: a closed set, so {@link
 * Outcomes} handles every case.
 */
public sealed interface RecipientOutcome {
  /** The recipient with the state it had when the attempt started. */
  RecipientStatus status();

  /** The server that answered, {@code host[ip]:port}, or null when none was reached. */
  String relay();

  /** The reply that decided the outcome, from the server or made up locally. */
  SmtpReply reply();

  /**
   * The next hop took the message for this recipient (2xx), or it is in the recipient's local
   * mailbox.
   *
   * @param nextHopReports whether the next hop offered DSN, and so took over any success report
   *     the sender asked for; when it did not, this relay owes a "relayed" report (RFC 3461
   *     section 5.2.2)
   * @param finalDelivery whether this was the final delivery into a mailbox here, which owes a
   *     "delivered" report instead of a "relayed" one (RFC 3461 section 6.2)
   */
  record Sent(
      RecipientStatus status,
      String relay,
      SmtpReply reply,
      boolean nextHopReports,
      boolean finalDelivery)
      implements RecipientOutcome {
    public Sent {
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(relay, "relay");
      Objects.requireNonNull(reply, "reply");
    }

    /** Handed to a next hop over SMTP. */
    public Sent(RecipientStatus status, String relay, SmtpReply reply, boolean nextHopReports) {
      this(status, relay, reply, nextHopReports, false);
    }

    /** Stored in a local mailbox: the end of the road, so a success report is this relay's. */
    public static Sent intoMailbox(RecipientStatus status, String relay, SmtpReply reply) {
      return new Sent(status, relay, reply, false, true);
    }
  }

  /**
   * A temporary failure: retry later, or bounce if the message has expired.
   *
   * @param notBefore the earliest next attempt when the retry schedule does not apply (a suspended
   *     destination that was not even tried), or null to follow the schedule
   */
  record TryAgain(RecipientStatus status, String relay, SmtpReply reply, Instant notBefore)
      implements RecipientOutcome {
    public TryAgain {
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(reply, "reply");
    }
  }

  /**
   * Not attempted: the address is on the suppression list and {@code suppression.action} is {@code
   * hold}. Recorded as a deferral (so it expires like one), reported as {@code suppressed}.
   */
  record Held(RecipientStatus status, SmtpReply reply) implements RecipientOutcome {
    public Held {
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(reply, "reply");
    }

    @Override
    public String relay() {
      return null;
    }
  }

  /** A permanent failure (5xx, or a local verdict such as a null MX): bounce. */
  record Undeliverable(RecipientStatus status, String relay, SmtpReply reply)
      implements RecipientOutcome {
    public Undeliverable {
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(reply, "reply");
    }
  }
}
