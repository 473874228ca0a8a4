package io.vireo.relay.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.relay.testing.Await;
import io.vireo.relay.testing.ScriptedSmtpServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /v1/messages/{id}} with the JDK HttpClient against a real relay whose next hop (a
 * scripted SMTP server) defers the first attempt and accepts the second: the recipient's state and
 * the whole history from the event log (received, the deferral with the remote reply, DSN code and
 * next attempt, the delivery); after the spool is gone, the same answer from the events alone; a
 * key limited to other sender domains sees nothing.
 */
class MessageHistoryIntegrationTest {
  @TempDir Path dir;

  private final ApiHarness http = new ApiHarness();

  @Test
  void eachAttemptWithItsRemoteReplyAlsoAfterTheSpoolForgotTheMessage() throws Exception {
    AtomicInteger rcpts = new AtomicInteger();
    try (ScriptedSmtpServer nextHop = new ScriptedSmtpServer("127.0.0.6")) {
      nextHop.onRcpt(rcpt -> rcpts.getAndIncrement() == 0 ? "451 4.3.0 mailbox busy, come back later" : null);
      String delivery =
          """
          delivery:
            tls: none
            routes:
              - { domains: ["*"], via: "127.0.0.6:%d", tls: none }
            retry:
              schedule: [300ms]
              max-age: 1h
          """
              .formatted(nextHop.port());
      // The event log apart from the spool, so it outlives it below.
      String events = "events:\n  dir: \"%s\"\n".formatted(dir.resolve("events"));
      String id;
      Map<?, ?> live;
      try (Relay relay = Relay.start(ApiHarness.config(dir, delivery, events))) {
        String key = ApiHarness.createKey(dir, "shop", List.of("example.com"), Optional.empty());
        String other = ApiHarness.createKey(dir, "other", List.of("other.example"), Optional.empty());
        HttpResponse<String> sent =
            http.post(
                relay,
                "/v1/messages",
                key,
                """
                {"from": "app@example.com", "to": "user@example.net", "subject": "s", "text": "t",
                 "tags": ["welcome"]}
                """);
        assertThat(sent.statusCode()).as(sent.body()).isEqualTo(202);
        id = ApiHarness.id(sent.body());
        Await.until(
            "delivered on the second attempt",
            ApiHarness.TIMEOUT,
            () -> http.okBody(relay, "/v1/messages/" + id, key).contains("\"type\":\"delivered\""));
        live = (Map<?, ?>) JsonValues.parse(http.get(relay, "/v1/messages/" + id, key).body());
        assertThat(live.get("in_spool")).isEqualTo(true);
        assertThat(live.get("state")).isEqualTo("done");
        assertHistory(live);

        HttpResponse<String> hidden = http.get(relay, "/v1/messages/" + id, other);
        assertThat(hidden.statusCode()).isEqualTo(404);
        assertThat(hidden.body()).contains("\"not_found\"");
      }

      deleteTree(dir.resolve("spool"));
      try (Relay relay = Relay.start(ApiHarness.config(dir, delivery, events))) {
        String key = ApiHarness.createKey(dir, "shop2", List.of("example.com"), Optional.empty());
        HttpResponse<String> response = http.get(relay, "/v1/messages/" + id, key);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Map<?, ?> fromEvents = (Map<?, ?>) JsonValues.parse(response.body());
        assertThat(fromEvents.get("in_spool")).isEqualTo(false);
        assertThat(fromEvents.get("state")).isEqualTo("done");
        assertThat(fromEvents.get("from")).isEqualTo("app@example.com");
        assertThat(fromEvents.get("tags")).isEqualTo(List.of("welcome"));
        assertThat(fromEvents.get("size")).isNull();
        assertThat(fromEvents.get("history")).isEqualTo(live.get("history"));
        assertHistory(fromEvents);
        assertThat(http.get(relay, "/v1/messages/01M8VDTCBZ00006Y9W9D", key).statusCode()).isEqualTo(404);
      }
    }
  }

  private static void assertHistory(Map<?, ?> status) {
    List<?> recipients = (List<?>) status.get("recipients");
    assertThat(recipients).hasSize(1);
    Map<?, ?> recipient = (Map<?, ?>) recipients.getFirst();
    assertThat(recipient.get("address")).isEqualTo("user@example.net");
    assertThat(recipient.get("state")).isEqualTo("delivered");
    assertThat(((Number) recipient.get("attempts")).intValue()).isEqualTo(2);
    assertThat((String) recipient.get("last_reply")).startsWith("250");

    List<?> history = (List<?>) status.get("history");
    assertThat(history.stream().map(e -> ((Map<?, ?>) e).get("type")).toList())
        .isEqualTo(List.of("received", "deferred", "delivered"));
    assertThat(history).allSatisfy(e -> assertThat(((Map<?, ?>) e).get("recipient")).isEqualTo("user@example.net"));
    Map<?, ?> deferred = (Map<?, ?>) history.get(1);
    assertThat(deferred.get("reply")).isEqualTo("451 4.3.0 mailbox busy, come back later");
    assertThat(deferred.get("dsn")).isEqualTo("4.3.0");
    assertThat((String) deferred.get("relay")).contains("127.0.0.6");
    assertThat(deferred.get("next_attempt")).isNotNull();
    assertThat(deferred.get("time")).isNotNull();
    Map<?, ?> delivered = (Map<?, ?>) history.get(2);
    assertThat((String) delivered.get("reply")).startsWith("250");
    assertThat((String) delivered.get("dsn")).startsWith("2.");
    assertThat(status.get("history_truncated")).isEqualTo(false);
  }

  private static void deleteTree(Path root) throws Exception {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
