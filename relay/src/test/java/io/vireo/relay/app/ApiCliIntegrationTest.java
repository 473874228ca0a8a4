package io.vireo.relay.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.relay.compose.MimeSummary;
import io.vireo.relay.testing.ScriptedSmtpServer;
import io.vireo.relay.testing.TestRelays;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vireo apikey create|list|remove} and {@code vireo send} as an operator runs them, in a
 * child JVM: the key works against a real relay's API; send over SMTP and over the API both reach
 * a test SMTP sink as the same MIME structure.
 */
class ApiCliIntegrationTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  @TempDir Path dir;

  private final ApiHarness http = new ApiHarness();

  @Test
  void apikeyCreatePrintsTheKeyOnceAndStoresOnlyItsHash() throws Exception {
    Path config = Files.writeString(dir.resolve("vireo.yaml"), ApiHarness.yaml(dir, TestRelays.PARKED_DELIVERY, "", ""));
    ProcessRunner.Split created =
        RelayProcess.runSplit(TIMEOUT, "apikey", "create", "shop", "--config", config.toString(), "--sender", "example.com", "example.org");
    assertThat(created.exitCode()).as(created.stderr()).isZero();
    List<String> lines = created.stdout().lines().toList();
    String key = lines.getLast();
    assertThat(key).matches("vireo_[A-Za-z0-9_-]{43}");
    String file = Files.readString(dir.resolve("api.keys"));
    assertThat(file).doesNotContain(key).contains("shop\t" + sha256(key) + "\t\texample.com,example.org");

    ProcessRunner.Result list = RelayProcess.run(TIMEOUT, "apikey", "list", "--config", config.toString());
    assertThat(list.output()).contains("shop\tdefault\texample.com,example.org").doesNotContain(key);
    ProcessRunner.Result duplicate = RelayProcess.run(TIMEOUT, "apikey", "create", "shop", "--config", config.toString());
    assertThat(duplicate.exitCode()).isEqualTo(1);
    assertThat(duplicate.output()).contains("a key named shop exists");

    try (Relay relay = Relay.start(io.vireo.config.ConfigLoader.load(config))) {
      String ok = "{\"from\": \"a@example.org\", \"to\": \"b@example.net\", \"text\": \"x\"}";
      assertThat(http.post(relay, "/v1/messages", key, ok).statusCode()).isEqualTo(202);
      ProcessRunner.Result removed = RelayProcess.run(TIMEOUT, "apikey", "remove", "shop", "--config", config.toString());
      assertThat(removed.output()).contains("removed shop");
      // The running relay rereads the file within a second.
      io.vireo.relay.testing.Await.until(
          "the removed key is refused",
          ApiHarness.TIMEOUT,
          () -> {
            try {
              return http.post(relay, "/v1/messages", key, ok).statusCode() == 401;
            } catch (Exception e) {
              throw new AssertionError(e);
            }
          });
    }
  }

  @Test
  void sendOverSmtpAndOverTheApiArriveAsTheSameMime() throws Exception {
    try (ScriptedSmtpServer sink = new ScriptedSmtpServer("127.0.0.6")) {
      String delivery =
          """
          delivery:
            tls: none
            routes:
              - { domains: ["*"], via: "127.0.0.6:%d", tls: none }
          """
              .formatted(sink.port());
      Path config = Files.writeString(dir.resolve("vireo.yaml"), ApiHarness.yaml(dir, delivery, "", ""));
      Path text = Files.writeString(dir.resolve("body.txt"), "Grüße aus dem Test\n");
      Path html = Files.writeString(dir.resolve("body.html"), "<p>Grüße</p>\n");
      Path attachment = Files.write(dir.resolve("data.bin"), new byte[] {0, 1, 2, (byte) 0xff});
      try (Relay relay = Relay.start(io.vireo.config.ConfigLoader.load(config))) {
        String key = ApiHarness.createKey(dir, "cli", List.of(), java.util.Optional.empty());
        Path keyFile = Files.writeString(dir.resolve("key"), key + "\n");
        String[] message = {
          "send", "--from", "Zoë <zoe@example.com>", "--to", "smtp@example.net", "--subject", "Prüfung ✓",
          "--text", text.toString(), "--html", html.toString(), "--attach", attachment.toString()
        };
        ProcessRunner.Split overSmtp = RelayProcess.runSplit(TIMEOUT, concat(message,
            "--smtp", "127.0.0.1:" + TestRelays.smtpPort(relay)));
        assertThat(overSmtp.exitCode()).as(overSmtp.stderr()).isZero();
        assertThat(overSmtp.stdout()).startsWith("250");
        ProcessRunner.Split overApi = RelayProcess.runSplit(TIMEOUT, concat(message,
            "--api", ApiHarness.uri(relay, "").toString(), "--key-file", keyFile.toString()));
        assertThat(overApi.exitCode()).as(overApi.stderr()).isZero();
        assertThat(overApi.stdout().strip()).matches("[0-9A-Z]{20}");

        List<ScriptedSmtpServer.ReceivedMessage> received = sink.awaitMessages(2, ApiHarness.TIMEOUT);
        for (ScriptedSmtpServer.ReceivedMessage one : received) {
          assertThat(one.mailFrom()).isEqualTo("zoe@example.com");
          String summary = MimeSummary.of(one.dataAsString().getBytes(StandardCharsets.ISO_8859_1), dir);
          assertThat(summary)
              .contains("\"defects\": []", "\"subject\": \"Prüfung ✓\"", "\"from_name\": \"Zoë\"")
              .contains("\"content\": \"Grüße aus dem Test\\r\\n\"", "\"type\": \"multipart/alternative\"")
              .contains("\"filename\": \"data.bin\"", "\"size\": 4", "\"type\": \"multipart/mixed\"");
        }
      }
    }
  }

  private static String sha256(String key) throws Exception {
    return java.util.HexFormat.of()
        .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
  }

  private static String[] concat(String[] first, String... more) {
    String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
    System.arraycopy(more, 0, all, first.length, more.length);
    return all;
  }
}
