package io.vireo.relay.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.queue.testing.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code auth.cache-ttl}: which logins skip the full password check, counted through its seam. */
class UserStoreCacheTest {
  private static final Duration TTL = Duration.ofMinutes(5);

  private final PasswordHashing hashing = new PasswordHashing();
  private final ManualClock clock = new ManualClock();
  private final AtomicInteger fullChecks = new AtomicInteger();

  @TempDir Path dir;

  private String hash(String password) {
    return hashing.hash(PasswordHashing.octets(password), PasswordHashingTest.CHEAP);
  }

  private UserStore store(Path file, Duration ttl) throws Exception {
    return new UserStore(
        file,
        2,
        ttl,
        clock,
        (storedHash, password) -> {
          fullChecks.incrementAndGet();
          return PasswordHashing.verify(storedHash, password);
        });
  }

  private Path usersFile(String user, String password) throws Exception {
    Path file = dir.resolve("users");
    UsersFile.empty().with(user, hash(password)).write(file);
    return file;
  }

  private static boolean verify(UserStore store, String user, String password) throws Exception {
    return store.verify(user, PasswordHashing.octets(password));
  }

  @Test
  void aSecondLoginWithTheSamePasswordSkipsTheHash() throws Exception {
    UserStore store = store(usersFile("alice", "wonderland"), TTL);
    assertThat(store.cachesLogins()).isTrue();

    assertThat(verify(store, "alice", "wonderland")).isTrue();
    assertThat(fullChecks).hasValue(1);
    clock.advance(TTL.minusSeconds(1));
    assertThat(verify(store, "alice", "wonderland")).isTrue();
    assertThat(verify(store, "alice", "wonderland")).isTrue();
    assertThat(fullChecks).hasValue(1);
  }

  @Test
  void wrongPasswordsAndUnknownUsersAlwaysCostTheFullCheck() throws Exception {
    UserStore store = store(usersFile("alice", "wonderland"), TTL);
    assertThat(verify(store, "alice", "wonderland")).isTrue();

    assertThat(verify(store, "alice", "Wonderland")).isFalse();
    assertThat(verify(store, "alice", "Wonderland")).isFalse();
    assertThat(verify(store, "alice", "")).isFalse();
    assertThat(verify(store, "mallory", "wonderland")).isFalse();
    assertThat(verify(store, "mallory", "wonderland")).isFalse();
    assertThat(fullChecks).hasValue(6);
    // The failures did not push out the remembered success either.
    assertThat(verify(store, "alice", "wonderland")).isTrue();
    assertThat(fullChecks).hasValue(6);
  }

  @Test
  void aChangedPasswordIsCheckedAgainstTheNewHashAtOnce() throws Exception {
    Path file = usersFile("alice", "old secret");
    UserStore store = store(file, TTL);
    assertThat(verify(store, "alice", "old secret")).isTrue();

    UsersFile.read(file).with("alice", hash("new secret")).write(file);
    touch(file, 1);
    assertThat(verify(store, "alice", "old secret")).isFalse();
    assertThat(fullChecks).hasValue(2);
    assertThat(verify(store, "alice", "new secret")).isTrue();
    assertThat(verify(store, "alice", "new secret")).isTrue();
    assertThat(fullChecks).hasValue(3);
  }

  @Test
  void theSamePasswordHashedAgainIsANewHashAndMisses() throws Exception {
    Path file = usersFile("alice", "wonderland");
    UserStore store = store(file, TTL);
    assertThat(verify(store, "alice", "wonderland")).isTrue();

    // vireo user passwd with the same password: a new salt, so a new stored hash.
    UsersFile.read(file).with("alice", hash("wonderland")).write(file);
    touch(file, 1);
    assertThat(verify(store, "alice", "wonderland")).isTrue();
    assertThat(fullChecks).hasValue(2);
  }

  @Test
  void aRemovedUserIsRefusedAtOnce() throws Exception {
    Path file = dir.resolve("users");
    UsersFile.empty().with("alice", hash("wonderland")).with("bob", hash("builder")).write(file);
    UserStore store = store(file, TTL);
    assertThat(verify(store, "alice", "wonderland")).isTrue();

    UsersFile.empty().with("bob", hash("builder")).write(file);
    touch(file, 1);
    assertThat(verify(store, "alice", "wonderland")).isFalse();
    assertThat(fullChecks).hasValue(2); // against the dummy hash, as for any unknown user
  }

  @Test
  void anEntryExpiresAfterTheTtl() throws Exception {
    UserStore store = store(usersFile("alice", "wonderland"), TTL);
    assertThat(verify(store, "alice", "wonderland")).isTrue();

    clock.advance(TTL);
    assertThat(verify(store, "alice", "wonderland")).isTrue();
    assertThat(fullChecks).hasValue(2);
    // That full check starts a new TTL.
    clock.advance(TTL.minusMillis(1));
    assertThat(verify(store, "alice", "wonderland")).isTrue();
    assertThat(fullChecks).hasValue(2);
  }

  @Test
  void zeroTurnsTheCacheOff() throws Exception {
    UserStore store = store(usersFile("alice", "wonderland"), Duration.ZERO);
    assertThat(store.cachesLogins()).isFalse();
    for (int i = 0; i < 3; i++) {
      assertThat(verify(store, "alice", "wonderland")).isTrue();
    }
    assertThat(fullChecks).hasValue(3);
  }

  @Test
  void eachUserHasOwnEntry() throws Exception {
    Path file = dir.resolve("users");
    UsersFile.empty().with("alice", hash("same")).with("bob", hash("same")).write(file);
    UserStore store = store(file, TTL);
    assertThat(verify(store, "alice", "same")).isTrue();

    assertThat(verify(store, "bob", "same")).isTrue();
    assertThat(fullChecks).hasValue(2);
    assertThat(verify(store, "Alice", "same")).isFalse();
    assertThat(fullChecks).hasValue(3);
  }

  /**
   * With the real cost ({@code vireo user add}'s OWASP baseline), a remembered login is answered
   * in a small fraction of the time one Argon2id check takes.
   */
  @Test
  void aRememberedLoginIsFarFasterThanTheFullCheck() throws Exception {
    Path file = dir.resolve("users");
    String realCost =
        hashing.hash(PasswordHashing.octets("wonderland"), PasswordHashing.DEFAULT_COST);
    UsersFile.empty().with("alice", realCost).write(file);
    UserStore store = store(file, TTL);
    long start = System.nanoTime();
    assertThat(verify(store, "alice", "wonderland")).isTrue();
    long full = System.nanoTime() - start;

    List<Long> hits = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      long t = System.nanoTime();
      assertThat(verify(store, "alice", "wonderland")).isTrue();
      hits.add(System.nanoTime() - t);
    }
    hits.sort(null);
    assertThat(fullChecks).hasValue(1);
    assertThat(hits.get(hits.size() / 2)).isLessThan(full / 10);
  }

  /** Moves the modification time on, so a rewrite within the file system's clock tick is seen. */
  private static void touch(Path file, int seconds) throws Exception {
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(seconds)));
  }
}
