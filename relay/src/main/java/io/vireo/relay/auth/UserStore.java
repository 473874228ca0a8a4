package io.vireo.relay.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The users who may log in, with their password hashes, from {@code auth.users-file}: what SMTP
 * AUTH and the POP3 and IMAP logins check passwords against. Thread-safe.
 *
 * <p>The file is looked at (one {@code stat}) on every check and read again when it changed, so
 * {@code vireo user add} takes effect without a restart; a changed file that is invalid is logged
 * and the users read before stay in force.
 *
 * <p>A check takes the same time for an unknown user as for a known one with a wrong password: the
 * password is then checked against a dummy hash of the same cost. Checks run a few at a time (each
 * Argon2id computation holds about 19 MiB), so a burst of logins waits instead of exhausting the
 * heap.
 *
 * <p>With a cache TTL ({@code auth.cache-ttl}) a password that passed the check is remembered for
 * that long, bound to the user's stored hash (see {@link VerifiedLogins}): mail clients reconnect
 * all the time, and each login would otherwise cost a full Argon2id computation.
 */
public final class UserStore {
  private static final Logger log = LoggerFactory.getLogger(UserStore.class);

  private final Path file;
  private final Semaphore hashing;
  private final HashCheck check;
  private final VerifiedLogins verified; // null when the cache is off
  private final ReentrantLock reload = new ReentrantLock();
  private volatile Snapshot snapshot;

  /** What was read from the file, with the file attributes that tell a change. */
  private record Snapshot(UsersFile users, Object version, String dummyHash) {}

  /** The full password check: {@link PasswordHashing#verify}, or a counting one in tests. */
  @FunctionalInterface
  interface HashCheck {
    boolean matches(String storedHash, byte[] password);
  }

  /**
   * Reads {@code file} now (a missing file is an empty list of users).
   *
   * @param concurrentChecks how many password checks may run at once
   * @param cacheTtl how long a verified login is remembered; {@link Duration#ZERO} for never
   * @param clock the time cache entries expire by
   * @throws IOException if the file cannot be read
   * @throws UsersFile.UsersFileException if it is invalid
   */
  public UserStore(Path file, int concurrentChecks, Duration cacheTtl, Clock clock)
      throws IOException {
    this(file, concurrentChecks, cacheTtl, clock, PasswordHashing::verify);
  }

  UserStore(Path file, int concurrentChecks, Duration cacheTtl, Clock clock, HashCheck check)
      throws IOException {
    this.file = Objects.requireNonNull(file, "file");
    if (concurrentChecks < 1) {
      throw new IllegalArgumentException("concurrentChecks must be positive");
    }
    this.hashing = new Semaphore(concurrentChecks, true);
    this.check = Objects.requireNonNull(check, "check");
    this.verified = cacheTtl.isZero() ? null : new VerifiedLogins(cacheTtl, clock);
    this.snapshot = load(version(), null);
  }

  /** A store that hashes every login (no cache). */
  public UserStore(Path file, int concurrentChecks) throws IOException {
    this(file, concurrentChecks, Duration.ZERO, Clock.systemUTC());
  }

  /** A store allowing as many checks at once as there are processors (at least two). */
  public UserStore(Path file, Duration cacheTtl, Clock clock) throws IOException {
    this(file, Math.max(2, Runtime.getRuntime().availableProcessors()), cacheTtl, clock);
  }

  /** The users file this store reads. */
  public Path file() {
    return file;
  }

  /** The user names known now. */
  public java.util.List<String> names() {
    return current().users().names();
  }

  /**
   * The senders {@code username} may use in MAIL FROM, as the users file says now; empty when the
   * user may use any (or is unknown).
   */
  public java.util.Optional<AllowedSenders> allowedSenders(String username) {
    return current().users().sendersOf(username);
  }

  /**
   * Whether {@code password} is {@code username}'s. A password remembered from an earlier success
   * against the same stored hash answers at once; otherwise this blocks while other checks use up
   * the permits.
   *
   * @throws InterruptedException if interrupted while waiting for a permit
   */
  public boolean verify(String username, byte[] password) throws InterruptedException {
    Snapshot now = current();
    String hash = now.users().hashOf(username).orElse(null);
    if (hash != null && verified != null && verified.remembers(username, hash, password)) {
      return true;
    }
    boolean valid;
    hashing.acquire();
    try {
      if (hash == null) {
        check.matches(now.dummyHash(), password);
        return false;
      }
      valid = check.matches(hash, password);
    } finally {
      hashing.release();
    }
    if (valid && verified != null) {
      verified.remember(username, hash, password);
    }
    return valid;
  }

  /** Whether verified logins are remembered ({@code auth.cache-ttl} not zero). */
  public boolean cachesLogins() {
    return verified != null;
  }

  private Snapshot current() {
    Snapshot known = snapshot;
    Object version;
    try {
      version = version();
    } catch (IOException e) {
      log.warn("cannot look at users file {}: {}", file, e.toString());
      return known;
    }
    if (Objects.equals(version, known.version())) {
      return known;
    }
    reload.lock();
    try {
      if (!Objects.equals(version, snapshot.version())) {
        snapshot = load(version, snapshot);
        log.info("users file {} read again: {} users", file, snapshot.users().names().size());
      }
      return snapshot;
    } catch (IOException | UsersFile.UsersFileException e) {
      log.error("users file {} changed but cannot be used; keeping the users read before: {}",
          file, e.getMessage());
      // Remember the bad version so it is not read again on every login.
      snapshot = new Snapshot(known.users(), version, known.dummyHash());
      return snapshot;
    } finally {
      reload.unlock();
    }
  }

  private Snapshot load(Object version, Snapshot previous) throws IOException {
    UsersFile users = UsersFile.read(file);
    PasswordHashing.Argon2Cost cost =
        users.names().isEmpty()
            ? PasswordHashing.DEFAULT_COST
            : PasswordHashing.costOf(users.hashOf(users.names().getFirst()).orElseThrow());
    String dummy =
        previous != null && PasswordHashing.costOf(previous.dummyHash()).equals(cost)
            ? previous.dummyHash()
            : dummyHash(cost);
    return new Snapshot(users, version, dummy);
  }

  private static String dummyHash(PasswordHashing.Argon2Cost cost) {
    byte[] secret = new byte[24];
    SecureRandom random = new SecureRandom();
    random.nextBytes(secret);
    return new PasswordHashing(random).hash(secret, cost);
  }

  /** Modification time, size and file key: what changes when the file is rewritten. */
  private Object version() throws IOException {
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      return java.util.List.of(
          attributes.lastModifiedTime(),
          attributes.size(),
          String.valueOf(attributes.fileKey()));
    } catch (NoSuchFileException e) {
      return "missing";
    }
  }
}
