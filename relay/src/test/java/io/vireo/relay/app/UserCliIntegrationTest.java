package io.vireo.relay.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.relay.auth.PasswordHashing;
import io.vireo.relay.auth.UserStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vireo user add|remove|list} as an operator runs them, in a child JVM. */
class UserCliIntegrationTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path dir;

  private Path config() throws Exception {
    return Files.writeString(
        dir.resolve("vireo.yaml"),
        "hostname: relay.test\nauth:\n  users-file: \"" + dir.resolve("users") + "\"\n");
  }

  private Path stdin(String text) throws Exception {
    return Files.writeString(Files.createTempFile(dir, "stdin", ".txt"), text);
  }

  @Test
  void addListChangeAndRemoveUsers() throws Exception {
    Path config = config();
    Path users = dir.resolve("users");

    ProcessRunner.Result add =
        RelayProcess.run(TIMEOUT, stdin("wonderland\n"), "user", "add", "alice", "--config", config.toString());
    assertThat(add.exitCode()).as(add.output()).isZero();
    assertThat(add.output()).contains("added alice");
    assertThat(RelayProcess.run(TIMEOUT, stdin("builder\r\n"), "user", "add", "bob@example.com", "-c", config.toString()).exitCode())
        .isZero();

    String text = Files.readString(users);
    assertThat(text)
        .startsWith("# Vireo SMTP AUTH users")
        .containsPattern("(?m)^alice:\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$")
        .doesNotContain("wonderland", "builder");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(users)))
        .isEqualTo("rw-------");
    UserStore store = new UserStore(users, 1);
    assertThat(store.verify("alice", PasswordHashing.octets("wonderland"))).isTrue();
    assertThat(store.verify("bob@example.com", PasswordHashing.octets("builder"))).isTrue();

    ProcessRunner.Result list = RelayProcess.run(TIMEOUT, "user", "list", "--config", config.toString());
    assertThat(list.exitCode()).isZero();
    assertThat(list.output().lines().filter(l -> !l.isBlank())).containsExactly("alice", "bob@example.com");

    ProcessRunner.Result change =
        RelayProcess.run(TIMEOUT, stdin("looking-glass\n"), "user", "add", "alice", "--config", config.toString());
    assertThat(change.output()).contains("password changed for alice");
    assertThat(store.verify("alice", PasswordHashing.octets("looking-glass"))).isTrue();
    assertThat(store.verify("alice", PasswordHashing.octets("wonderland"))).isFalse();

    ProcessRunner.Result remove = RelayProcess.run(TIMEOUT, "user", "remove", "alice", "--config", config.toString());
    assertThat(remove.exitCode()).isZero();
    assertThat(remove.output()).contains("removed alice");
    ProcessRunner.Result again = RelayProcess.run(TIMEOUT, "user", "remove", "alice", "--config", config.toString());
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.output()).contains("no such user: alice");
    assertThat(store.names()).containsExactly("bob@example.com");
  }

  @Test
  void mistakesAreRefusedWithAReason() throws Exception {
    Path config = config();
    ProcessRunner.Result empty =
        RelayProcess.run(TIMEOUT, stdin("\n"), "user", "add", "alice", "--config", config.toString());
    assertThat(empty.exitCode()).isEqualTo(1);
    assertThat(empty.output()).contains("empty password");

    ProcessRunner.Result badName =
        RelayProcess.run(TIMEOUT, stdin("pw\n"), "user", "add", "a:b", "--config", config.toString());
    assertThat(badName.exitCode()).isEqualTo(1);
    assertThat(badName.output()).contains("no colon");

    Path noUsers = Files.writeString(dir.resolve("plain.yaml"), "hostname: relay.test\n");
    ProcessRunner.Result unset = RelayProcess.run(TIMEOUT, "user", "list", "--config", noUsers.toString());
    assertThat(unset.exitCode()).isEqualTo(1);
    assertThat(unset.output()).contains("auth.users-file is not set");
    assertThat(Files.exists(dir.resolve("users"))).isFalse();
  }
}
