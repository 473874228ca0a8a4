package io.vireo.relay.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsersFileTest {
  private static final String HASH =
      new PasswordHashing().hash(PasswordHashing.octets("pw"), PasswordHashingTest.CHEAP);

  @TempDir Path dir;

  @Test
  void readsNamesAndHashesSkippingCommentsAndBlankLines() {
    UsersFile users =
        UsersFile.parse("# users\n\nalice:" + HASH + "\n  bob@example.com:" + HASH + "\n", "u");
    assertThat(users.names()).containsExactly("alice", "bob@example.com");
    assertThat(users.hashOf("alice")).contains(HASH);
    assertThat(users.hashOf("carol")).isEmpty();
  }

  @Test
  void problemsNameTheFileAndLine() {
    assertThatThrownBy(() -> UsersFile.parse("# x\nalice " + HASH + "\n", "users.txt"))
        .hasMessage("users.txt:2: expected name:hash");
    assertThatThrownBy(() -> UsersFile.parse("alice:s3cret\n", "users.txt"))
        .hasMessage("users.txt:1: the hash of alice is not an argon2id or bcrypt hash");
    assertThatThrownBy(() -> UsersFile.parse("a:" + HASH + "\na:" + HASH + "\n", "users.txt"))
        .hasMessage("users.txt:2: user a is listed twice");
    assertThatThrownBy(() -> UsersFile.parse(":" + HASH + "\n", "users.txt"))
        .hasMessageStartingWith("users.txt:1: a user name has 1 to 255 characters");
  }

  @Test
  void changesKeepOtherLinesAndCommentsAndWriteOwnerOnly() throws Exception {
    Path file = dir.resolve("users");
    UsersFile.parse("# mine\nalice:" + HASH + "\n# keep me\nbob:" + HASH + "\n", "u")
        .with("carol", HASH)
        .without("alice")
        .with("bob", HASH.replace("m=64", "m=64"))
        .write(file);

    assertThat(Files.readString(file))
        .isEqualTo("# mine\n# keep me\nbob:" + HASH + "\ncarol:" + HASH + "\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(UsersFile.read(file).names()).containsExactly("bob", "carol");
    assertThat(Files.list(dir)).containsExactly(file);
  }

  @Test
  void aMissingFileIsAnEmptyList() throws Exception {
    assertThat(UsersFile.read(dir.resolve("none")).names()).isEmpty();
  }

  @Test
  void namesWithSeparatorsOrSpacesAreRefused() {
    assertThatThrownBy(() -> UsersFile.empty().with("a:b", HASH))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> UsersFile.empty().with("a b", HASH))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> UsersFile.empty().with("alice", "plaintext"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aThirdFieldListsTheAllowedSendersAndSurvivesAPasswordChange() throws Exception {
    UsersFile users =
        UsersFile.parse("alice:" + HASH + "\ncarol:" + HASH + ":carol@example.com,b.test\n", "u");
    assertThat(users.hashOf("carol")).contains(HASH);
    assertThat(users.sendersOf("alice")).isEmpty();
    assertThat(users.sendersOf("carol")).contains(AllowedSenders.parse("b.test,carol@example.com"));

    Path file = dir.resolve("users");
    users.with("carol", HASH).without("alice").write(file);
    assertThat(Files.readString(file)).isEqualTo("carol:" + HASH + ":carol@example.com,b.test\n");
    assertThat(UsersFile.read(file).sendersOf("carol")).isPresent();
  }

  @Test
  void badSendersNameTheLine() {
    assertThatThrownBy(() -> UsersFile.parse("# x\ncarol:" + HASH + ":a b\n", "users.txt"))
        .hasMessage("users.txt:2: senders of carol: not a sender address or domain: \"a b\"");
  }
}
