package io.vireo.relay.dns;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning for {@link MxResolver}: timeouts, the bound on queries in flight, cache size and the
 * limits applied to the time-to-live of cached answers.
 *
 * @param queryTimeout how long to wait for one server's reply to one query before retrying; dnsjava
 *     checks it on a tick of about a second, so sub-second values act as roughly one second
 * @param lookupTimeout the most {@link MxResolver#resolve} ever blocks, all queries included
 * @param maxQueriesInFlight queries on the wire at once, across all callers; a burst beyond this
 *     waits for a permit (within {@code lookupTimeout}) rather than overflowing the resolver's
 *     socket
 * @param cacheSize the most entries in each of the two caches (MX answers and host addresses)
 * @param minTtl the shortest time any definitive answer is kept, even one with TTL 0
 * @param maxTtl the longest time any answer is kept, whatever its TTL says
 * @param defaultNegativeTtl how long a negative answer without an SOA record is kept (RFC 2308
 *     section 5 derives it from the SOA; some servers, dnsmasq among them, send none)
 * @param tempFailTtl how long a failure (SERVFAIL, timeout) is kept: long enough to stop a retry
 *     storm against a struggling server, short enough that the next delivery attempt asks again
 */
public record MxResolverOptions(
    Duration queryTimeout,
    Duration lookupTimeout,
    int maxQueriesInFlight,
    long cacheSize,
    Duration minTtl,
    Duration maxTtl,
    Duration defaultNegativeTtl,
    Duration tempFailTtl) {

  public MxResolverOptions {
    requirePositive(queryTimeout, "queryTimeout");
    requirePositive(lookupTimeout, "lookupTimeout");
    if (maxQueriesInFlight < 1) {
      throw new IllegalArgumentException(
          "maxQueriesInFlight must be at least 1: " + maxQueriesInFlight);
    }
    if (cacheSize < 1) {
      throw new IllegalArgumentException("cacheSize must be at least 1: " + cacheSize);
    }
    Objects.requireNonNull(minTtl, "minTtl");
    if (minTtl.isNegative()) {
      throw new IllegalArgumentException("minTtl must not be negative: " + minTtl);
    }
    requirePositive(maxTtl, "maxTtl");
    if (maxTtl.compareTo(minTtl) < 0) {
      throw new IllegalArgumentException("maxTtl " + maxTtl + " is below minTtl " + minTtl);
    }
    requirePositive(defaultNegativeTtl, "defaultNegativeTtl");
    requirePositive(tempFailTtl, "tempFailTtl");
  }

  /**
   * Defaults: 2 s per query, 10 s per lookup, 32 queries in flight (1,000 overflowed dnsmasq's
   * socket in measurements, 32 lost none), 10,000 entries, TTLs clamped to [1 s, 1 day], 5 min for
   * negative answers without an SOA, 5 s for failures.
   */
  public static MxResolverOptions defaults() {
    return new MxResolverOptions(
        Duration.ofSeconds(2),
        Duration.ofSeconds(10),
        32,
        10_000,
        Duration.ofSeconds(1),
        Duration.ofDays(1),
        Duration.ofMinutes(5),
        Duration.ofSeconds(5));
  }

  // One with-method per component, each listing the others: Java records have no copy-with
  // expression, so these are alike on purpose (the duplicates tool pairs them).
  public MxResolverOptions withQueryTimeout(Duration value) {
    return new MxResolverOptions(
        value,
        lookupTimeout,
        maxQueriesInFlight,
        cacheSize,
        minTtl,
        maxTtl,
        defaultNegativeTtl,
        tempFailTtl);
  }

  public MxResolverOptions withLookupTimeout(Duration value) {
    return new MxResolverOptions(
        queryTimeout,
        value,
        maxQueriesInFlight,
        cacheSize,
        minTtl,
        maxTtl,
        defaultNegativeTtl,
        tempFailTtl);
  }

  public MxResolverOptions withMaxQueriesInFlight(int value) {
    return new MxResolverOptions(
        queryTimeout,
        lookupTimeout,
        value,
        cacheSize,
        minTtl,
        maxTtl,
        defaultNegativeTtl,
        tempFailTtl);
  }

  public MxResolverOptions withCacheSize(long value) {
    return new MxResolverOptions(
        queryTimeout,
        lookupTimeout,
        maxQueriesInFlight,
        value,
        minTtl,
        maxTtl,
        defaultNegativeTtl,
        tempFailTtl);
  }

  public MxResolverOptions withTtlBounds(Duration min, Duration max) {
    return new MxResolverOptions(
        queryTimeout,
        lookupTimeout,
        maxQueriesInFlight,
        cacheSize,
        min,
        max,
        defaultNegativeTtl,
        tempFailTtl);
  }

  public MxResolverOptions withDefaultNegativeTtl(Duration value) {
    return new MxResolverOptions(
        queryTimeout,
        lookupTimeout,
        maxQueriesInFlight,
        cacheSize,
        minTtl,
        maxTtl,
        value,
        tempFailTtl);
  }

  public MxResolverOptions withTempFailTtl(Duration value) {
    return new MxResolverOptions(
        queryTimeout,
        lookupTimeout,
        maxQueriesInFlight,
        cacheSize,
        minTtl,
        maxTtl,
        defaultNegativeTtl,
        value);
  }

  /** Clamps a TTL from the DNS into [{@code minTtl}, {@code maxTtl}]. */
  Duration clampTtl(Duration ttl) {
    if (ttl.compareTo(minTtl) < 0) {
      return minTtl;
    }
    return ttl.compareTo(maxTtl) > 0 ? maxTtl : ttl;
  }

  private static void requirePositive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
  }
}
