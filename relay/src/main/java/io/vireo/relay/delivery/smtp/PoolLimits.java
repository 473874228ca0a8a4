package io.vireo.relay.delivery.smtp;

import java.time.Duration;
import java.util.Objects;

/**
 * How many client connections the {@link ConnectionPool} keeps, and for how long.
 *
 * @param maxIdlePerKey idle connections kept per destination; more are closed on release
 * @param maxMessagesPerConnection transactions after which a connection is closed rather than
 *     pooled, so no single session lives forever (servers limit this too)
 * @param idleTimeout how long an idle connection is kept; servers drop idle clients after a few
 *     minutes (RFC 5321 section 4.5.3.2.7), so this should stay well below that
 * @param sweepInterval how often idle connections are checked against {@code idleTimeout}
 */
public record PoolLimits(
    int maxIdlePerKey, int maxMessagesPerConnection, Duration idleTimeout, Duration sweepInterval) {

  public PoolLimits {
    if (maxIdlePerKey < 0) {
      throw new IllegalArgumentException("maxIdlePerKey must not be negative: " + maxIdlePerKey);
    }
    if (maxMessagesPerConnection < 1) {
      throw new IllegalArgumentException(
          "maxMessagesPerConnection must be positive: " + maxMessagesPerConnection);
    }
    requirePositive(idleTimeout, "idleTimeout");
    requirePositive(sweepInterval, "sweepInterval");
  }

  /** 8 idle per destination, 100 messages per connection, 30 s idle, swept every 5 s. */
  public static PoolLimits defaults() {
    return new PoolLimits(8, 100, Duration.ofSeconds(30), Duration.ofSeconds(5));
  }

  private static void requirePositive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
  }
}
