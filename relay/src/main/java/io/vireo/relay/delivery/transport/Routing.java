package io.vireo.relay.delivery.transport;

import io.vireo.config.DestinationLimits;
import io.vireo.relay.protocol.SmtpReply;
import java.util.Objects;

/** Where mail for one recipient domain goes, as decided by {@link Router}: a closed set. */
public sealed interface Routing {

  /**
   * Deliver through a destination.
   *
   * @param destination the key shared by every domain delivered the same way: {@code
   *     route:host:port} for a smarthost, {@code mx:} and the sorted MX host names otherwise, so
   *     that all domains hosted by one provider share one queue and one set of limits; {@code
   *     local} for the local domains and {@code capture:USER} for a capture route
   * @param transport how the mail leaves (for SMTP, where to connect, in order, for this lookup)
   * @param limits the limits of the destination (used when it is first created)
   */
  record Deliver(String destination, Transport transport, DestinationLimits limits)
      implements Routing {
    public Deliver {
      Objects.requireNonNull(destination, "destination");
      Objects.requireNonNull(transport, "transport");
      Objects.requireNonNull(limits, "limits");
    }

    /** SMTP through {@code hops}. */
    Deliver(String destination, NextHops hops, DestinationLimits limits) {
      this(destination, new Transport.Smtp(hops), limits);
    }
  }

  /** The DNS said definitively that mail cannot go there: fail the recipients with this reply. */
  record Fail(SmtpReply reply) implements Routing {
    public Fail {
      Objects.requireNonNull(reply, "reply");
    }
  }

  /** No answer yet (DNS trouble): defer the recipients with this reply. */
  record Defer(SmtpReply reply) implements Routing {
    public Defer {
      Objects.requireNonNull(reply, "reply");
    }
  }
}
