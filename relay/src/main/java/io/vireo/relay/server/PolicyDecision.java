package io.vireo.relay.server;

import io.vireo.relay.protocol.SmtpReply;
import java.util.Objects;

/** What a policy says about one request (today: one recipient); the session handles every case. */
public sealed interface PolicyDecision {
  PolicyDecision ACCEPT = new Accept();

  record Accept() implements PolicyDecision {}

  /** Refuse this request with a 5xx; the session goes on. */
  record Reject(SmtpReply reply) implements PolicyDecision {
    public Reject {
      Objects.requireNonNull(reply, "reply");
    }
  }

  /** Refuse this request with a 4xx, asking the client to try again later. */
  record Defer(SmtpReply reply) implements PolicyDecision {
    public Defer {
      Objects.requireNonNull(reply, "reply");
    }
  }

  /** Answer with {@code reply} and close the connection. */
  record Disconnect(SmtpReply reply) implements PolicyDecision {
    public Disconnect {
      Objects.requireNonNull(reply, "reply");
    }
  }
}
