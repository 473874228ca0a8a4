package io.vireo.relay.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.config.ConfigLoader;
import io.vireo.relay.delivery.LogCapture;
import io.vireo.relay.testing.Await;
import io.vireo.relay.testing.ScriptedSmtpServer;
import io.vireo.relay.testing.SmtpTestClient;
import io.vireo.relay.testing.TestCertificate;
import io.vireo.relay.testing.TestRelays;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay's log as an operator greps it: one line form keyed by the queue id from the accept line
 * ({@code client=}, {@code message-id=}, {@code from=}, {@code size=}, {@code nrcpt=}) through each
 * attempt to {@code removed}, a TLS line per outbound TLS session, one summary line per pass for a
 * suspended destination instead of one per recipient, and {@code log.format: json} (JSON lines,
 * switched back to text by a reload).
 */
class RelayLogIntegrationTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Pattern SUMMARY =
      Pattern.compile("destination route:127\\.0\\.0\\.1:1 suspended until \\S+: deferred (\\d+) recipients of (\\d+) messages");

  @TempDir Path dir;

  @Test
  void aMessageIsFollowedByItsQueueIdFromAcceptToRemovedWithATlsLine() throws Exception {
    TestCertificate certificate = TestCertificate.generate(dir, "mx.log.test");
    try (ScriptedSmtpServer nextHop = new ScriptedSmtpServer("127.0.0.6");
        LogCapture accept = new LogCapture("io.vireo.relay.intake.MessageIntake");
        LogCapture delivery = new LogCapture("delivery")) {
      nextHop.withStartTls(certificate.serverContext());
      String routes =
          """
          delivery:
            routes:
              - { domains: ["example.net"], via: "127.0.0.6:%d", tls: opportunistic }
              - { domains: ["down.test"], via: "127.0.0.1:1", tls: none }
          """
              .formatted(nextHop.port());
      try (Relay relay =
          Relay.start(ConfigLoader.parse(TestRelays.yaml(dir.resolve("spool"), routes, ""), "log.yaml"))) {
        String id;
        try (SmtpTestClient client =
            SmtpTestClient.greeted("127.0.0.1", TestRelays.smtpPort(relay))) {
          client.ehlo("app.test");
          id =
              client.sendMessage(
                  "app@example.com",
                  List.of("user@example.net"),
                  "Message-ID:\r\n <m1.log@app.test>\r\nSubject: hi\r\n\r\nbody\r\n");
          for (int i = 0; i < 6; i++) {
            client.sendMessage("app@example.com", List.of("u" + i + "@down.test"), "Subject: " + i + "\r\n\r\nx\r\n");
          }
        }
        Await.until("removed", WAIT, () -> !delivery.linesContaining(id + ": removed").isEmpty());
        assertThat(accept.linesContaining(id + ": "))
            .singleElement()
            .asString()
            .matches(
                id + ": client=\\[127\\.0\\.0\\.1\\], message-id=<m1\\.log@app\\.test>,"
                    + " from=<app@example\\.com>, size=\\d+, nrcpt=1");
        assertThat(delivery.linesContaining(id + ": to=<user@example.net>"))
            .singleElement()
            .asString()
            .contains("status=sent");
        assertThat(delivery.linesContaining("TLS connection established to"))
            .anyMatch(line -> line.matches("Untrusted TLS connection established to .*127\\.0\\.0\\.6.*: TLSv1\\.[23] with cipher TLS_\\S+"));

        // The down destination: every message either attempted (its own line) or deferred in a
        // pass of the suspended destination (counted in that pass's one summary line).
        Await.until(
            "all six down.test messages deferred",
            WAIT,
            () -> attemptedLines(delivery) + summarized(delivery) == 6);
        assertThat(delivery.lines()).noneMatch(line -> line.contains("status=deferred (451 4.4.1 delivery temporarily suspended"));
        assertThat(attemptedLines(delivery)).isPositive();
      }
    }
  }

  private static long attemptedLines(LogCapture delivery) {
    return delivery.lines().stream()
        .filter(line -> line.contains("@down.test>") && line.contains("status=deferred"))
        .count();
  }

  private static int summarized(LogCapture delivery) {
    int recipients = 0;
    for (String line : delivery.lines()) {
      Matcher matcher = SUMMARY.matcher(line);
      if (matcher.find()) {
        recipients += Integer.parseInt(matcher.group(1));
      }
    }
    return recipients;
  }

  @Test
  void jsonLinesOnRequestAndTextAgainAfterAReload() throws Exception {
    Path config = dir.resolve("vireo.yaml");
    String base = TestRelays.yaml(dir.resolve("spool"), "");
    Files.writeString(config, base + "log:\n  format: json\n");
    try (RelayProcess relay = RelayProcess.serve(config)) {
      int port = relay.awaitReady(WAIT);
      String ready =
          relay.log().lines().filter(l -> l.contains("vireo ready")).findFirst().orElseThrow();
      @SuppressWarnings("unchecked")
      java.util.Map<String, Object> event = (java.util.Map<String, Object>) JsonValues.parse(ready);
      assertThat(event.get("level")).isEqualTo("INFO");
      assertThat((String) event.get("formattedMessage")).startsWith("vireo ready: smtp=");
      assertThat(event).containsKeys("timestamp", "loggerName", "threadName");

      Files.writeString(config, base + "log:\n  format: text\n");
      AdminClient admin = new AdminClient(relay.adminAddress());
      assertThat(admin.send("POST", "/v1/reload").status()).isEqualTo(200);
      try (SmtpTestClient client = SmtpTestClient.greeted("127.0.0.1", port)) {
        client.ehlo("app.test");
        client.sendMessage("app@example.com", List.of("user@example.net"), "Subject: hi\r\n\r\nx\r\n");
      }
      Await.until(
          "the accept line as text after the reload",
          WAIT,
          () ->
              relay
                  .log()
                  .lines()
                  .anyMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT.* INFO .*MessageIntake: .*client=.*")));
    }
  }
}
