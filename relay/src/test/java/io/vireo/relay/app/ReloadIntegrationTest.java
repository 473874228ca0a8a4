package io.vireo.relay.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.config.ConfigLoader;
import io.vireo.relay.admin.ReloadResult;
import io.vireo.relay.testing.SmtpTestClient;
import io.vireo.relay.testing.TestRelays;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Configuration reloads of a real relay: in process ({@link Relay#reload()}), through {@code POST
 * /v1/reload} and {@code vireo reload}, and in a child {@code serve} process with {@code kill -HUP}.
 * The limit used to see a reload take effect is {@code limits.max-recipients}: a new session
 * follows the file in force when it starts.
 */
class ReloadIntegrationTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final List<String> THREE = List.of("a@x.test", "b@x.test", "c@x.test");

  @TempDir Path dir;

  private Path writeConfig(String extra) throws IOException {
    Path file = dir.resolve("vireo.yaml");
    Files.writeString(file, TestRelays.yaml(dir.resolve("spool"), extra));
    return file;
  }

  /** The reply code to a third RCPT in a new session. */
  private static String thirdRecipient(int port) throws IOException {
    try (SmtpTestClient client = SmtpTestClient.greeted("127.0.0.1", port)) {
      client.ehlo("client.test");
      client.command("MAIL FROM:<s@y.test>", 250);
      client.command("RCPT TO:<" + THREE.get(0) + ">", 250);
      client.command("RCPT TO:<" + THREE.get(1) + ">", 250);
      client.send("RCPT TO:<" + THREE.get(2) + ">");
      return client.read().raw().substring(0, 3);
    }
  }

  @Test
  void aGoodFileAppliesAtOnceABadOneIsRefusedAndTheOldOneStays() throws Exception {
    Path file = writeConfig("limits:\n  max-recipients: 2\n");
    try (Relay relay = Relay.start(ConfigLoader.load(file), file)) {
      int port = TestRelays.smtpPort(relay);
      assertThat(thirdRecipient(port)).isEqualTo("452");

      writeConfig("limits:\n  max-recipients: 5\n");
      ReloadResult applied = relay.reload();
      assertThat(applied).isInstanceOf(ReloadResult.Applied.class);
      assertThat(((ReloadResult.Applied) applied).changed()).containsExactly("limits");
      assertThat(((ReloadResult.Applied) applied).restartRequired()).isEmpty();
      assertThat(thirdRecipient(port)).isEqualTo("250");

      writeConfig("limits:\n  max-recipients: lots\n");
      ReloadResult refused = relay.reload();
      assertThat(refused).isInstanceOf(ReloadResult.Refused.class);
      assertThat(((ReloadResult.Refused) refused).message())
          .contains("vireo.yaml:")
          .contains("limits.max-recipients");
      assertThat(thirdRecipient(port)).isEqualTo("250");

      // A certificate file that does not load refuses the whole reload, limits included.
      writeConfig(
          "limits:\n  max-recipients: 2\ntls:\n  cert-file: missing.pem\n  key-file: missing.key\n");
      ReloadResult badTls = relay.reload();
      assertThat(badTls).isInstanceOf(ReloadResult.Refused.class);
      assertThat(((ReloadResult.Refused) badTls).message()).contains("missing.pem");
      assertThat(thirdRecipient(port)).isEqualTo("250");
    }
  }

  @Test
  void listenAddressesAndTheSpoolAreReportedAsNeedingARestart() throws Exception {
    Path file = writeConfig("");
    try (Relay relay = Relay.start(ConfigLoader.load(file), file)) {
      int port = TestRelays.smtpPort(relay);
      Files.writeString(
          file,
          TestRelays.yaml(dir.resolve("other-spool"), "")
              .replace("smtp: 127.0.0.1:0", "smtp: 127.0.0.1:1"));
      ReloadResult result = relay.reload();
      assertThat(result).isInstanceOf(ReloadResult.Applied.class);
      assertThat(((ReloadResult.Applied) result).restartRequired())
          .containsExactly("listen.smtp", "spool");
      // Still serving where it was bound.
      assertThat(thirdRecipient(port)).isEqualTo("250");
      assertThat(relay.smtpAddresses().getFirst().getPort()).isEqualTo(port);
    }
  }

  @Test
  void postV1ReloadAndTheReloadCommandAskTheRunningRelay() throws Exception {
    int adminPort = TestRelays.freeLoopbackPort();
    Path file = dir.resolve("vireo.yaml");
    Files.writeString(
        file,
        TestRelays.yaml(dir.resolve("spool"), "limits:\n  max-recipients: 2\n")
            .replace("admin: 127.0.0.1:0", "admin: 127.0.0.1:" + adminPort));
    try (Relay relay = Relay.start(ConfigLoader.load(file), file)) {
      AdminClient client = new AdminClient(relay.adminAddress());
      AdminClient.Reply get = client.get("/v1/reload");
      assertThat(get.status()).isEqualTo(405);
      assertThat(get.body()).contains("\"code\":\"method_not_allowed\"");

      Files.writeString(file, Files.readString(file).replace("max-recipients: 2", "max-recipients: 7"));
      AdminClient.Reply post = client.send("POST", "/v1/reload");
      assertThat(post.status()).isEqualTo(200);
      assertThat(post.body())
          .isEqualTo(
              "{\"status\":\"reloaded\",\"file\":\"" + file
                  + "\",\"changed\":[\"limits\"],\"restart_required\":[]}\n");

      Files.writeString(file, Files.readString(file).replace("max-recipients: 7", "max-recipients: x"));
      AdminClient.Reply refused = client.send("POST", "/v1/reload");
      assertThat(refused.status()).isEqualTo(422);
      assertThat(refused.body())
          .startsWith("{\"error\":{\"code\":\"config_invalid\",\"message\":\"" + file)
          .contains("limits.max-recipients: expected a whole number greater than zero");
      Files.writeString(file, Files.readString(file).replace("max-recipients: x", "max-recipients: 7"));

      AdminClient.Reply browser = client.send("POST", "/v1/reload", "Origin", "http://evil.test");
      assertThat(browser.status()).isEqualTo(403);

      Files.writeString(file, Files.readString(file).replace("max-recipients: 7", "max-recipients: 3"));
      ProcessRunner.Split cli = RelayProcess.runSplit(WAIT, "reload", "--config", file.toString());
      assertThat(cli.exitCode()).as(cli.stderr()).isZero();
      assertThat(cli.stdout()).isEqualTo("reloaded " + file + "\nchanged: limits\n");
      assertThat(thirdRecipient(TestRelays.smtpPort(relay))).isEqualTo("250");

      String good = Files.readString(file);
      Files.writeString(file, good + "nonsense: [\n");
      ProcessRunner.Split bad = RelayProcess.runSplit(WAIT, "reload", "--config", file.toString());
      assertThat(bad.exitCode()).isEqualTo(1);
      assertThat(bad.stderr())
          .contains("refused, the old configuration stays in force")
          .contains("invalid YAML");
      Files.writeString(file, good);
    }
    ProcessRunner.Split stopped = RelayProcess.runSplit(WAIT, "reload", "--config", file.toString());
    assertThat(stopped.exitCode()).isEqualTo(1);
    assertThat(stopped.stderr())
        .contains("no relay answers on 127.0.0.1:" + adminPort + " (listen.admin)");
  }

  @Test
  void sighupReloadsAChildRelayAndABadFileLeavesItAsItWas() throws Exception {
    Path file = writeConfig("limits:\n  max-recipients: 2\n");
    try (RelayProcess relay = RelayProcess.serve(file)) {
      int port = relay.awaitReady(WAIT);
      assertThat(thirdRecipient(port)).isEqualTo("452");

      writeConfig("limits:\n  max-recipients: 5\nlog:\n  level: warn\n");
      relay.signal("HUP");
      relay.awaitLog("configuration reloaded from " + file + ": changed limits, log", WAIT);
      assertThat(thirdRecipient(port)).isEqualTo("250");

      writeConfig("limits:\n  max-recipients: -1\n");
      relay.signal("HUP");
      relay.awaitLog("configuration reload refused", WAIT);
      assertThat(relay.log()).contains("limits.max-recipients");
      assertThat(thirdRecipient(port)).isEqualTo("250");

      relay.signal("TERM");
      assertThat(relay.awaitExit(WAIT)).isZero();
    }
  }
}
