package io.vireo.relay.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
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

  private record Failures(int count, Instant last) {}

  private final int throttleAfter;
  private final Duration throttleDelay;
  private final int lockoutAfter;
  private final Duration lockoutDuration;
  private final Clock clock;
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
    if (throttleAfter < 1 || lockoutAfter < throttleAfter) {
      throw new IllegalArgumentException("need 1 <= throttleAfter <= lockoutAfter");
    }
    this.throttleAfter = throttleAfter;
    this.throttleDelay = Objects.requireNonNull(throttleDelay, "throttleDelay");
    this.lockoutAfter = lockoutAfter;
    this.lockoutDuration = Objects.requireNonNull(lockoutDuration, "lockoutDuration");
    this.clock = Objects.requireNonNull(clock, "clock");
    Ticker ticker = () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
    this.failures =
        Caffeine.newBuilder()
            .ticker(ticker)
            .executor(Runnable::run)
            .expireAfterWrite(lockoutDuration)
            .maximumSize(maxKeys)
            .build();
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
    Failures known = failures.getIfPresent(key);
    if (known == null) {
      return ALLOWED;
    }
    Instant now = clock.instant();
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
        .merge(key, new Failures(1, now), (old, one) -> new Failures(old.count() + 1, now));
  }

  /** Forgets {@code key}'s failures after a successful login. */
  public void succeeded(String key) {
    failures.invalidate(key);
  }

  /** The failures counted for {@code key} now (for tests and diagnostics). */
  public int failures(String key) {
    Failures known = failures.getIfPresent(key);
    return known == null ? 0 : known.count();
  }
}
