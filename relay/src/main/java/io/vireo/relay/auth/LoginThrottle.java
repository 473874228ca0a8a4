package io.vireo.relay.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Slows down password guessing: counts failed logins per key (a client address, a user name) and
 * says, before each attempt, whether it may go ahead. After {@code throttleAfter} failures an
 * attempt must wait {@code throttleDelay} after the last failure; after {@code lockoutAfter}
 * failures the key is locked out until {@code lockoutDuration} after the last failure. Failures
 * older than {@code lockoutDuration} are forgotten; a successful login forgets a key's failures.
 *
 * <p>Time comes from the injected clock. At most {@code maxKeys} keys are remembered (the least
 * recently failed go first), so an attacker trying endless names cannot fill the heap. Thread-safe.
 *
 * <p>A reload keeps the failures counted ({@link #withLimits}), or a client throttled for guessing
 * passwords would be let in again by any reload.
 */
public final class LoginThrottle {
  /** What an attempt may do now; a closed set. */
  public sealed interface Verdict {
    /** Go ahead. */
    record Allowed() implements Verdict {}

    /** Refuse this attempt for now (454 4.7.0); the key may try again after {@code retryAfter}. */
    record Throttled(Duration retryAfter) implements Verdict {}

    /** Refuse and disconnect (421 4.7.0): the key is locked out for {@code remaining}. */
    record LockedOut(Duration remaining) implements Verdict {}
  }

  private static final Verdict ALLOWED = new Verdict.Allowed();
  private static final long DEFAULT_MAX_KEYS = 100_000;

  /** {@code count} failures, the last at {@code last}; remembered for {@code keep} after it. */
  private record Failures(int count, Instant last, Duration keep) {}

  private final int throttleAfter;
  private final Duration throttleDelay;
  private final int lockoutAfter;
  private final Duration lockoutDuration;
  private final Clock clock;
  // Shared with the throttles a reload derives (withLimits).
  private final Cache<String, Failures> failures;

  public LoginThrottle(
      int throttleAfter,
      Duration throttleDelay,
      int lockoutAfter,
      Duration lockoutDuration,
      Clock clock) {
    this(throttleAfter, throttleDelay, lockoutAfter, lockoutDuration, clock, DEFAULT_MAX_KEYS);
  }

  LoginThrottle(
      int throttleAfter,
      Duration throttleDelay,
      int lockoutAfter,
      Duration lockoutDuration,
      Clock clock,
      long maxKeys) {
    this(
        throttleAfter,
        throttleDelay,
        lockoutAfter,
        lockoutDuration,
        clock,
        Caffeine.newBuilder()
            .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
            .executor(Runnable::run)
            // Each entry for the lock-out of the throttle that wrote it: a reload may change it.
            .expireAfter(Expiry.writing((String key, Failures known) -> known.keep()))
            .maximumSize(maxKeys)
            .build());
  }

  private LoginThrottle(
      int throttleAfter,
      Duration throttleDelay,
      int lockoutAfter,
      Duration lockoutDuration,
      Clock clock,
      Cache<String, Failures> failures) {
    if (throttleAfter < 1 || lockoutAfter < throttleAfter) {
      throw new IllegalArgumentException("need 1 <= throttleAfter <= lockoutAfter");
    }
    this.throttleAfter = throttleAfter;
    this.throttleDelay = Objects.requireNonNull(throttleDelay, "throttleDelay");
    this.lockoutAfter = lockoutAfter;
    this.lockoutDuration = Objects.requireNonNull(lockoutDuration, "lockoutDuration");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.failures = failures;
  }

  /**
   * This throttle with the settings of a reload: this very object when they are the same, else a
   * throttle over the same failures. The new settings judge the failures counted so far, from
   * their last one (a key with more failures than a lowered {@code lockoutAfter} is locked out
   * now; a shortened {@code lockoutDuration} forgets older failures at once): a reload is no way
   * out of a throttle or a lock-out, and counting again from zero would be one.
   */
  public LoginThrottle withLimits(
      int throttleAfter, Duration throttleDelay, int lockoutAfter, Duration lockoutDuration) {
    if (throttleAfter == this.throttleAfter
        && throttleDelay.equals(this.throttleDelay)
        && lockoutAfter == this.lockoutAfter
        && lockoutDuration.equals(this.lockoutDuration)) {
      return this;
    }
    return new LoginThrottle(
        throttleAfter, throttleDelay, lockoutAfter, lockoutDuration, clock, failures);
  }

  /**
   * The key that counts a client address's failures. An IPv6 client counts by its /64: one host
   * usually has a whole /64 to pick addresses from, so counting single addresses would not slow it.
   */
  public static String addressKey(InetAddress client) {
    if (client instanceof Inet6Address) {
      byte[] prefix = Arrays.copyOf(client.getAddress(), 16);
      Arrays.fill(prefix, 8, 16, (byte) 0);
      try {
        return "address " + InetAddress.getByAddress(prefix).getHostAddress() + "/64";
      } catch (java.net.UnknownHostException e) {
        throw new IllegalStateException("16 octets are always an IPv6 address", e);
      }
    }
    return "address " + client.getHostAddress();
  }

  /** The key that counts failures for a user name, whatever address they come from. */
  public static String userKey(String username) {
    return "user " + username;
  }

  /** Whether an attempt for {@code key} may go ahead now. */
  public Verdict check(String key) {
    Instant now = clock.instant();
    Failures known = remembered(key, now);
    if (known == null) {
      return ALLOWED;
    }
    if (known.count() >= lockoutAfter) {
      Duration remaining = Duration.between(now, known.last().plus(lockoutDuration));
      return remaining.isPositive() ? new Verdict.LockedOut(remaining) : ALLOWED;
    }
    if (known.count() >= throttleAfter) {
      Duration wait = Duration.between(now, known.last().plus(throttleDelay));
      return wait.isPositive() ? new Verdict.Throttled(wait) : ALLOWED;
    }
    return ALLOWED;
  }

  /** Records a failed attempt for {@code key}. */
  public void failed(String key) {
    Instant now = clock.instant();
    failures
        .asMap()
        .merge(
            key,
            new Failures(1, now, lockoutDuration),
            (old, one) ->
                forgotten(old, now) ? one : new Failures(old.count() + 1, now, lockoutDuration));
  }

  /** Forgets {@code key}'s failures after a successful login. */
  public void succeeded(String key) {
    failures.invalidate(key);
  }

  /** The failures counted for {@code key} now (for tests and diagnostics). */
  public int failures(String key) {
    Failures known = remembered(key, clock.instant());
    return known == null ? 0 : known.count();
  }

  /** {@code key}'s failures unless this throttle's {@code lockoutDuration} has forgotten them. */
  private Failures remembered(String key, Instant now) {
    Failures known = failures.getIfPresent(key);
    return known == null || forgotten(known, now) ? null : known;
  }

  /** The cache forgets by the lock-out that wrote an entry; a reload may have shortened it. */
  private boolean forgotten(Failures known, Instant now) {
    return !known.last().plus(lockoutDuration).isAfter(now);
  }
}
