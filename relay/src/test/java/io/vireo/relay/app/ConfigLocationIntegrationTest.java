package io.vireo.relay.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.config.ConfigLoader;
import io.vireo.relay.testing.SmtpTestClient;
import io.vireo.relay.testing.TestRelays;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Relative paths in a config file mean relative to that file: {@code vireo queue list} run from
 * another directory finds the spool the relay writes, not an empty one of its own.
 */
class ConfigLocationIntegrationTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void queueListFromAnotherDirectoryReadsTheRelaysSpool() throws Exception {
    Path configDir = Files.createDirectories(dir.resolve("etc"));
    Path config = configDir.resolve("vireo.yaml");
    Files.writeString(
        config,
        TestRelays.yaml(dir, "")
            .replace("dir: \"" + dir.toAbsolutePath() + "\"", "dir: ../var/spool"));
    assertThat(Files.readString(config)).contains("dir: ../var/spool");

    try (Relay relay = Relay.start(ConfigLoader.load(config))) {
      assertThat(relay.spool().stats().pendingMessages()).isZero();
      String id;
      try (SmtpTestClient client =
          SmtpTestClient.greeted("127.0.0.1", TestRelays.smtpPort(relay))) {
        client.ehlo("cli.test");
        id = client.sendMessage("a@example.com", List.of("b@example.net"), "Subject: x\r\n\r\nhi\r\n");
      }
      assertThat(dir.resolve("var/spool")).isDirectory();

      // The test JVM's working directory is the relay module, not etc/ nor its parent.
      assertThat(Path.of("").toAbsolutePath()).isNotEqualTo(configDir);
      ProcessRunner.Result list =
          RelayProcess.run(TIMEOUT, "queue", "list", "--config", config.toString());
      assertThat(list.exitCode()).as(list.output()).isZero();
      assertThat(list.output()).contains(id).contains("1 message");
    }
  }

  @Test
  void theLaunchersVariableNamesTheDefaultFile() throws Exception {
    Path config = dir.resolve("conf/vireo.yaml");
    Files.createDirectories(config.getParent());
    Files.writeString(config, "spool:\n  dir: spool\nadmin:\n  token-file: secrets/admin.token\n");

    ConfigOption option = new ConfigOption();
    var loaded = option.load(Map.of(ConfigOption.FILE_VARIABLE, config.toString()));

    assertThat(loaded.spool().dir()).isEqualTo(dir.resolve("conf/spool").toAbsolutePath());
    assertThat(loaded.admin().token())
        .contains(dir.resolve("conf/secrets/admin.token").toAbsolutePath());
    option.file = dir.resolve("elsewhere.yaml");
    Files.writeString(option.file, "spool:\n  dir: /srv/spool\n");
    assertThat(option.load(Map.of(ConfigOption.FILE_VARIABLE, config.toString())).spool().dir())
        .isEqualTo(Path.of("/srv/spool"));
  }
}
