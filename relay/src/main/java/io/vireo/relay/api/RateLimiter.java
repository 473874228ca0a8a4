package io.vireo.relay.api;

import io.vireo.config.Rate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per API key: {@code rate} tokens a second, holding at most one second's worth
 * (at least one), so a key may burst to its rate and no further. Time comes from an injected
 * nanosecond ticker.
 */
final class RateLimiter {
  private static final class Bucket {
    private double tokens;
    private long at;

    Bucket(double tokens, long at) {
      this.tokens = tokens;
      this.at = at;
    }
  }

  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final LongSupplier nanos;

  RateLimiter(LongSupplier nanos) {
    this.nanos = nanos;
  }

  /** Takes {@code count} tokens from {@code key}'s bucket; false, taking none, when too few. */
  boolean tryAcquire(String key, Rate rate, int count) {
    if (rate.isUnlimited()) {
      return true;
    }
    double capacity = Math.max(1, rate.perSecond());
    long now = nanos.getAsLong();
    Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(capacity, now));
    synchronized (bucket) {
      bucket.tokens =
          Math.min(capacity, bucket.tokens + (now - bucket.at) / 1e9 * rate.perSecond());
      bucket.at = now;
      if (bucket.tokens < count) {
        return false;
      }
      bucket.tokens -= count;
      return true;
    }
  }
}
