package io.vireo.relay.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Logins that passed the full password check lately ({@code auth.cache-ttl}), so a client that
 * reconnects with the same password is let in without another Argon2id computation. Thread-safe.
 *
 * <p>An entry holds the user's stored hash it was verified against and an HMAC-SHA256 of the
 * password under a key drawn at random for this instance; never the password. It answers only
 * while the users file still holds that same hash, so a password change or a removed user takes
 * effect at the next login. Only successes are remembered: a wrong password always costs the full
 * check.
 */
final class VerifiedLogins {
  /** Users remembered at most; beyond that the least likely to log in again are dropped. */
  static final long MAX_USERS = 10_000;

  private static final String HMAC = "HmacSHA256";

  private final Cache<String, Verified> entries;
  private final SecretKeySpec key;

  /** The stored hash a password was verified against, and the password's keyed digest. */
  private record Verified(String storedHash, byte[] digest) {}

  /**
   * @param ttl how long an entry answers after the check that made it; positive
   * @param clock the time entries expire by (a test's manual clock)
   */
  VerifiedLogins(Duration ttl, Clock clock, long maxUsers) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive: " + ttl);
    }
    Objects.requireNonNull(clock, "clock");
    Ticker ticker = () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
    this.entries =
        Caffeine.newBuilder()
            .ticker(ticker)
            // Upkeep on the caller's thread: a few map operations, no need for the common pool.
            .executor(Runnable::run)
            .expireAfterWrite(ttl)
            .maximumSize(maxUsers)
            .build();
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    this.key = new SecretKeySpec(secret, HMAC);
  }

  VerifiedLogins(Duration ttl, Clock clock) {
    this(ttl, clock, MAX_USERS);
  }

  /**
   * Whether {@code password} was verified for {@code username} against {@code storedHash} within
   * the TTL. An entry for another stored hash is dropped: that password no longer counts.
   */
  boolean remembers(String username, String storedHash, byte[] password) {
    Verified verified = entries.getIfPresent(username);
    if (verified == null) {
      return false;
    }
    if (!verified.storedHash().equals(storedHash)) {
      entries.asMap().remove(username, verified);
      return false;
    }
    return MessageDigest.isEqual(verified.digest(), digest(password));
  }

  /** Records that {@code password} passed the full check against {@code storedHash}. */
  void remember(String username, String storedHash, byte[] password) {
    entries.put(username, new Verified(storedHash, digest(password)));
  }

  /** How many users are remembered now (expired ones may still count until the next upkeep). */
  long size() {
    return entries.estimatedSize();
  }

  private byte[] digest(byte[] password) {
    try {
      // A Mac is not thread-safe; getting one is cheap next to what it saves.
      Mac mac = Mac.getInstance(HMAC);
      mac.init(key);
      return mac.doFinal(password);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JDK has " + HMAC, e);
    }
  }
}
