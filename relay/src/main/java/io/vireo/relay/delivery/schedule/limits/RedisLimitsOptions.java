package io.vireo.relay.delivery.schedule.limits;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link RedisLimits} talks to Redis: settings outside vireo.yaml, short by design so that a
 * slow or absent Redis costs a delivery worker a fraction of a second, never a message.
 *
 * @param connectTimeout opening a connection to Redis
 * @param commandTimeout waiting for one reply (and for a pooled connection)
 * @param retryAfter after a failure, how long every decision is taken locally before Redis is
 *     tried again
 * @param warnEvery at most one warning per this interval while Redis stays unavailable
 * @param leaseTtl a connection lease not renewed for this long expires, so the slots of a node
 *     that crashed come free; held leases are renewed every third of it
 * @param waiterTtl a node waiting for a connection slot keeps its place in the queue for this long
 *     after it last asked
 * @param poolSize connections to Redis, shared by all delivery workers
 */
public record RedisLimitsOptions(
    Duration connectTimeout,
    Duration commandTimeout,
    Duration retryAfter,
    Duration warnEvery,
    Duration leaseTtl,
    Duration waiterTtl,
    int poolSize) {

  public RedisLimitsOptions {
    requirePositive("connectTimeout", connectTimeout);
    requirePositive("commandTimeout", commandTimeout);
    requirePositive("retryAfter", retryAfter);
    requirePositive("warnEvery", warnEvery);
    requirePositive("leaseTtl", leaseTtl);
    requirePositive("waiterTtl", waiterTtl);
    if (leaseTtl.toMillis() < 3) {
      throw new IllegalArgumentException("leaseTtl must be at least 3 ms: " + leaseTtl);
    }
    if (poolSize < 1) {
      throw new IllegalArgumentException("poolSize must be positive: " + poolSize);
    }
  }

  /**
   * 250 ms to connect and per reply (a loopback or LAN Redis answers in well under a millisecond),
   * 1 s local after a failure, a warning at most once a minute, 30 s leases, waiters forgotten
   * after 1 s, 32 connections.
   */
  public static RedisLimitsOptions defaults() {
    return new RedisLimitsOptions(
        Duration.ofMillis(250),
        Duration.ofMillis(250),
        Duration.ofSeconds(1),
        Duration.ofMinutes(1),
        Duration.ofSeconds(30),
        Duration.ofSeconds(1),
        32);
  }

  public RedisLimitsOptions withLeaseTtl(Duration ttl) {
    return new RedisLimitsOptions(
        connectTimeout, commandTimeout, retryAfter, warnEvery, ttl, waiterTtl, poolSize);
  }

  public RedisLimitsOptions withRetryAfter(Duration retry) {
    return new RedisLimitsOptions(
        connectTimeout, commandTimeout, retry, warnEvery, leaseTtl, waiterTtl, poolSize);
  }

  private static void requirePositive(String name, Duration value) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
  }
}
