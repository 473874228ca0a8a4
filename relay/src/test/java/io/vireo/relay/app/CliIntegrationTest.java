package io.vireo.relay.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.relay.testing.SmtpTestClient;
import io.vireo.relay.testing.TestRelays;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The vireo command line as an operator runs it: exit codes and what it prints. */
class CliIntegrationTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void configCheckNamesTheKeyAndLineOfABadValueAndExitsNonZero() throws Exception {
    Path file = dir.resolve("bad.yaml");
    Files.writeString(file, "hostname: relay.test\nlimits:\n  max-message-size: fifty\n");

    ProcessRunner.Result result = RelayProcess.run(TIMEOUT, "config", "check", file.toString());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.output()).contains("limits.max-message-size").contains(":3:");
  }

  @Test
  void configCheckAcceptsTheShippedDefaultFileAndPrintsTheEffectiveConfig() throws Exception {
    Path shipped = Path.of("..", "config", "vireo.yaml");

    ProcessRunner.Result result =
        RelayProcess.run(TIMEOUT, "config", "check", "--print", shipped.toString());

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains("hostname: vireo.local").contains("sync: group");
  }

  @Test
  void configCheckLoadsTheCertificateAndUsersFilesItNames() throws Exception {
    Path file = dir.resolve("tls.yaml");
    Files.writeString(
        file,
        "tls:\n  cert-file: \"" + dir.resolve("missing.pem") + "\"\n  key-file: \"" + dir.resolve("k.pem") + "\"\n");

    ProcessRunner.Result result = RelayProcess.run(TIMEOUT, "config", "check", file.toString());

    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.output()).contains("tls.cert-file " + dir.resolve("missing.pem") + ": cannot read");

    Path users = Files.writeString(dir.resolve("users"), "alice:plaintext\n");
    Files.writeString(file, "auth:\n  users-file: \"" + users + "\"\n");
    ProcessRunner.Result badUsers = RelayProcess.run(TIMEOUT, "config", "check", file.toString());
    assertThat(badUsers.exitCode()).isEqualTo(1);
    assertThat(badUsers.output())
        .contains("auth.users-file " + users + ":1: the hash of alice is not an argon2id or bcrypt hash");

    Path key = Files.writeString(dir.resolve("dkim.pem"), "not a key\n");
    Files.writeString(
        file, "dkim:\n  - { domain: example.com, selector: s1, key-file: \"" + key + "\" }\n");
    ProcessRunner.Result badKey = RelayProcess.run(TIMEOUT, "config", "check", file.toString());
    assertThat(badKey.exitCode()).isEqualTo(1);
    assertThat(badKey.output())
        .contains("dkim[0].key-file " + key + ": expected an unencrypted PEM PKCS#8 key");
  }

  @Test
  void configCheckReadsTheRedisPasswordFileAndPrintsOnlyItsName() throws Exception {
    Path file = dir.resolve("cluster.yaml");
    Path passwordFile = dir.resolve("redis-password");
    Files.writeString(
        file,
        "cluster:\n  redis: redis://127.0.0.1:6379\n  redis-user: vireo\n"
            + "  redis-password-file: \""
            + passwordFile
            + "\"\n");

    ProcessRunner.Result missing = RelayProcess.run(TIMEOUT, "config", "check", file.toString());
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.output())
        .contains("cluster.redis-password-file " + passwordFile + ": cannot read it");

    Files.writeString(passwordFile, "pw-5d2e-never-printed\n");
    ProcessRunner.Result printed =
        RelayProcess.run(TIMEOUT, "config", "check", "--print", file.toString());
    assertThat(printed.exitCode()).as(printed.output()).isZero();
    assertThat(printed.output())
        .contains("  redis-user: vireo\n  redis-password-file: ")
        .contains(passwordFile.toString())
        .doesNotContain("pw-5d2e-never-printed");
  }

  @Test
  void queueCommandsOnAnEmptySpoolAndAnUnknownId() throws Exception {
    Path spool = dir.resolve("spool");
    try (Relay relay = Relay.start(TestRelays.config(spool))) {
      try (SmtpTestClient client = SmtpTestClient.greeted("127.0.0.1", TestRelays.smtpPort(relay))) {
        client.ehlo("cli.test");
        String id = client.sendMessage("a@example.com", List.of("b@example.net"), "Subject: cli\r\n\r\nhi\r\n");

        ProcessRunner.Result list = RelayProcess.run(TIMEOUT, "queue", "list", "--spool", spool.toString());
        assertThat(list.exitCode()).as(list.output()).isZero();
        // Parked delivery: the first attempt may already have deferred the recipient.
        assertThat(list.output())
            .contains(id)
            .containsPattern("b@example\\.net \\((pending|deferred)\\)")
            .contains("1 message");

        ProcessRunner.Result show =
            RelayProcess.run(TIMEOUT, "queue", "show", id, "--spool", spool.toString());
        assertThat(show.exitCode()).as(show.output()).isZero();
        assertThat(show.output()).contains("sender:    <a@example.com>").contains("Subject: cli");
      }
    }
    ProcessRunner.Result unknown =
        RelayProcess.run(TIMEOUT, "queue", "show", "00000000000000000000", "--spool", spool.toString());
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.output()).contains("no such message");
  }
}
