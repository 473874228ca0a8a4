package io.vireo.config;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * The abuse limits of {@code limits} that follow a sender over time: concurrent sessions per
 * authenticated user, and messages and recipients per minute per client address and per user. A
 * rate of N per minute lets a sender take N at once, then one more every 60/N seconds (a token
 * bucket). An empty rate is {@code unlimited}.
 *
 * @param maxConnectionsPerUser concurrent sessions authenticated as one user; AUTH beyond it gets
 *     421 4.7.0
 * @param messagesPerMinutePerIp MAIL commands accepted per client address (an IPv6 client by its
 *     /64); beyond it 450 4.7.1
 * @param recipientsPerMinutePerIp RCPT commands accepted per client address; beyond it 452 4.7.1
 * @param messagesPerMinutePerUser MAIL commands accepted per authenticated user; beyond it 450
 *     4.7.1
 * @param recipientsPerMinutePerUser RCPT commands accepted per authenticated user; beyond it 452
 *     4.7.1
 */
public record SenderLimits(
    int maxConnectionsPerUser,
    OptionalInt messagesPerMinutePerIp,
    OptionalInt recipientsPerMinutePerIp,
    OptionalInt messagesPerMinutePerUser,
    OptionalInt recipientsPerMinutePerUser) {
  /** 1,000 sessions per user, no rate limits. */
  public static final SenderLimits DEFAULTS =
      new SenderLimits(
          1000, OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty());

  public SenderLimits {
    Checks.requirePositive("maxConnectionsPerUser", maxConnectionsPerUser);
    requirePositive("messagesPerMinutePerIp", messagesPerMinutePerIp);
    requirePositive("recipientsPerMinutePerIp", recipientsPerMinutePerIp);
    requirePositive("messagesPerMinutePerUser", messagesPerMinutePerUser);
    requirePositive("recipientsPerMinutePerUser", recipientsPerMinutePerUser);
  }

  private static void requirePositive(String name, OptionalInt rate) {
    Objects.requireNonNull(rate, name);
    if (rate.isPresent()) {
      Checks.requirePositive(name, rate.getAsInt());
    }
  }
}
