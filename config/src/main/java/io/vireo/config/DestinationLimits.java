package io.vireo.config;

import java.time.Duration;
import java.util.Objects;

/**
 * What delivery may do to one destination (a route's next hop, or the MX host set of a domain):
 * {@code delivery.defaults}, or one {@code delivery.shaping} rule.
 *
 * @param connections concurrent outbound SMTP connections to the destination
 * @param rate messages per second handed to the destination, across all its connections
 * @param messagesPerConnection messages sent over one connection before it is closed and reopened
 * @param idleTimeout a pooled connection idle this long is closed (QUIT)
 */
public record DestinationLimits(
    int connections, Rate rate, int messagesPerConnection, Duration idleTimeout) {
  public DestinationLimits {
    Checks.requirePositive("connections", connections);
    Objects.requireNonNull(rate, "rate");
    Checks.requirePositive("messagesPerConnection", messagesPerConnection);
    Checks.requirePositive("idleTimeout", idleTimeout);
  }
}
