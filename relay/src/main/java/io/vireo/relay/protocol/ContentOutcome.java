package io.vireo.relay.protocol;

import java.util.Objects;

/** How reading message content (DATA, or BDAT chunks) ended. */
public sealed interface ContentOutcome {

  /**
   * All content arrived and passed the checks; {@code size} counts the octets given to the sink.
   */
  record Received(long size) implements ContentOutcome {}

  /**
   * The content broke a rule (size, line length, bare CR or LF). It was still read to its end, so
   * the session stays in step with the client; {@code reply} says why the message is refused.
   */
  record Rejected(SmtpReply reply) implements ContentOutcome {
    public Rejected {
      Objects.requireNonNull(reply, "reply");
    }
  }

  /** The client closed the connection before the content ended. */
  record Disconnected() implements ContentOutcome {}
}
