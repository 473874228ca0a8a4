package io.vireo.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code auth}: SMTP AUTH (RFC 4954) for clients of the listeners, and how failed attempts are
 * slowed down. A failure counts against the client address and against the user name tried; each
 * of the two is judged on its own.
 *
 * @param usersFile the users and their password hashes (see {@code vireo user add}); without it no
 *     AUTH is offered
 * @param requireTls offer AUTH only inside TLS, so passwords never cross the network in clear
 * @param throttleAfter failed attempts after which each further attempt must wait {@code
 *     throttleDelay} after the last failure (454 4.7.0 until then)
 * @param throttleDelay that wait
 * @param lockoutAfter failed attempts after which the address or user is locked out (421 4.7.0)
 *     for {@code lockoutDuration}; at least {@code throttleAfter}
 * @param lockoutDuration how long a lock-out lasts; also how long failures are remembered
 * @param cacheTtl how long a login that passed the Argon2id check is remembered, so the same
 *     password for the same user is accepted again without hashing; bound to the stored hash, so a
 *     password change or a removed user ends it at once. {@link Duration#ZERO} turns it off
 */
public record AuthConfig(
    Optional<Path> usersFile,
    boolean requireTls,
    int throttleAfter,
    Duration throttleDelay,
    int lockoutAfter,
    Duration lockoutDuration,
    Duration cacheTtl) {
  public static final AuthConfig DEFAULTS =
      new AuthConfig(
          Optional.empty(),
          true,
          3,
          Duration.ofSeconds(10),
          10,
          Duration.ofMinutes(15),
          Duration.ofMinutes(5));

  public AuthConfig {
    Objects.requireNonNull(usersFile, "usersFile");
    Checks.requirePositive("throttleAfter", throttleAfter);
    Checks.requirePositive("throttleDelay", throttleDelay);
    Checks.requirePositive("lockoutAfter", lockoutAfter);
    Checks.requirePositive("lockoutDuration", lockoutDuration);
    Objects.requireNonNull(cacheTtl, "cacheTtl");
    if (cacheTtl.isNegative()) {
      throw new IllegalArgumentException("cacheTtl must not be negative");
    }
    if (lockoutAfter < throttleAfter) {
      throw new IllegalArgumentException(
          "auth lockout-after (" + lockoutAfter + ") must be at least throttle-after ("
              + throttleAfter + ")");
    }
  }

  /** Whether AUTH is offered at all. */
  public boolean enabled() {
    return usersFile.isPresent();
  }

  public AuthConfig withUsersFile(Path file) {
    return new AuthConfig(
        Optional.of(file),
        requireTls,
        throttleAfter,
        throttleDelay,
        lockoutAfter,
        lockoutDuration,
        cacheTtl);
  }

  /** Whether verified logins are remembered at all ({@code auth.cache-ttl} not zero). */
  public boolean cacheEnabled() {
    return !cacheTtl.isZero();
  }
}
