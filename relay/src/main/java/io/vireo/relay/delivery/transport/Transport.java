package io.vireo.relay.delivery.transport;

import java.util.Objects;

/**
 * How a destination's jobs leave, as routing chose it: a closed set, so the engine starts the right
 * worker for each and every outcome still goes through the same queue, events journal, retries,
 * bounces and delivery log.
 */
public sealed interface Transport {

  /** SMTP to a smarthost or the domain's MX hosts, over pooled connections. */
  record Smtp(NextHops hops) implements Transport {
    public Smtp {
      Objects.requireNonNull(hops, "hops");
    }
  }

  /**
   * Into the Maildir of each user a {@code local.domains} recipient names (the user, an alias's
   * users, or the domain's catch-all), with {@code local.quota} applied.
   */
  record LocalMailbox() implements Transport {}

  /**
   * Every recipient into one user's mailbox ({@code via: capture, mailbox: USER}): the message as
   * it would have been sent, for staging apps.
   */
  record Capture(String user) implements Transport {
    public Capture {
      Objects.requireNonNull(user, "user");
    }
  }
}
