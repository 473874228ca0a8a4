package io.vireo.relay.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserStoreTest {
  private final PasswordHashing hashing = new PasswordHashing();

  @TempDir Path dir;

  private String hash(String password) {
    return hashing.hash(PasswordHashing.octets(password), PasswordHashingTest.CHEAP);
  }

  @Test
  void checksPasswordsOfKnownUsersAndRefusesUnknownOnes() throws Exception {
    Path file = dir.resolve("users");
    UsersFile.empty().with("alice", hash("wonderland")).write(file);
    UserStore store = new UserStore(file, 2);

    assertThat(store.verify("alice", PasswordHashing.octets("wonderland"))).isTrue();
    assertThat(store.verify("alice", PasswordHashing.octets("Wonderland"))).isFalse();
    assertThat(store.verify("mallory", PasswordHashing.octets("wonderland"))).isFalse();
    assertThat(store.verify("Alice", PasswordHashing.octets("wonderland"))).isFalse();
  }

  @Test
  void aChangedFileIsReadAgainAndABrokenOneIgnored() throws Exception {
    Path file = dir.resolve("users");
    UsersFile.empty().with("alice", hash("one")).write(file);
    UserStore store = new UserStore(file, 2);
    assertThat(store.names()).containsExactly("alice");

    UsersFile.read(file).with("bob", hash("two")).write(file);
    touch(file, 1);
    assertThat(store.verify("bob", PasswordHashing.octets("two"))).isTrue();

    Files.writeString(file, "not a users file\n");
    touch(file, 2);
    assertThat(store.names()).containsExactly("alice", "bob");
    assertThat(store.verify("bob", PasswordHashing.octets("two"))).isTrue();

    Files.delete(file);
    assertThat(store.names()).isEmpty();
  }

  @Test
  void aMissingFileMeansNoUsersYet() throws Exception {
    UserStore store = new UserStore(dir.resolve("absent"), 1);
    assertThat(store.names()).isEmpty();
    assertThat(store.verify("alice", PasswordHashing.octets("pw"))).isFalse();
  }

  /** Moves the modification time on, so a rewrite within the file system's clock tick is seen. */
  private static void touch(Path file, int seconds) throws Exception {
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(seconds)));
  }
}
