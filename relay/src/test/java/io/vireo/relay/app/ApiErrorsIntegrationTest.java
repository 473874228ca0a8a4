package io.vireo.relay.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.config.Rate;
import io.vireo.relay.testing.SmtpTestClient;
import io.vireo.relay.testing.TestRelays;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every refusal of the HTTP API against a real relay: its status, its JSON error code, and never a
 * stack trace; and an {@code Idempotency-Key} that returns the first answer, across a restart too.
 */
class ApiErrorsIntegrationTest {
  private static final String OK =
      "{\"from\": \"app@example.com\", \"to\": \"user@example.net\", \"subject\": \"s\", \"text\": \"t\"}";

  @TempDir Path dir;

  private final ApiHarness http = new ApiHarness();

  private static void assertError(HttpResponse<String> response, int status, String code) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.body())
        .startsWith("{\"error\":{\"code\":\"" + code + "\",\"message\":\"")
        .doesNotContain("Exception", "\tat ", "io.vireo");
    assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
  }

  @Test
  void eachRefusalHasItsStatusAndCode() throws Exception {
    try (Relay relay =
        Relay.start(
            ApiHarness.config(dir, TestRelays.PARKED_DELIVERY, "  max-body-size: 16KB\n", ""),
            null,
            address -> address.startsWith("blocked@"))) {
      String key = ApiHarness.createKey(dir, "shop", List.of("example.com"), Optional.empty());
      String slow = ApiHarness.createKey(dir, "slow", List.of(), Optional.of(Rate.parse("1/h")));

      assertThat(http.post(relay, "/v1/messages", key, OK).statusCode()).isEqualTo(202);
      assertError(http.post(relay, "/v1/messages", key, "{not json"), 400, "invalid_request");
      assertError(http.post(relay, "/v1/messages", key, "{\"form\": \"x\"}"), 400, "invalid_request");
      assertError(
          http.post(relay, "/v1/messages", key, OK.replace("\"text\": \"t\"", "\"text\": 5")),
          400,
          "invalid_request");
      assertError(
          http.post(relay, "/v1/messages", key, OK.replace("\"s\"", "\"s\\r\\nBcc: x@example.org\"")),
          400,
          "invalid_request");
      assertError(http.post(relay, "/v1/messages", null, OK), 401, "unauthorized");
      assertError(http.post(relay, "/v1/messages", "vireo_wrong", OK), 401, "unauthorized");
      assertThat(http.post(relay, "/v1/messages", null, OK).headers().firstValue("WWW-Authenticate"))
          .contains("Bearer realm=\"vireo-api\"");
      assertError(
          http.post(relay, "/v1/messages", key, OK.replace("app@example.com", "app@elsewhere.org")),
          403,
          "sender_not_allowed");
      assertError(http.get(relay, "/v1/messages/01NOSUCHMESSAGE0000000", key), 404, "not_found");
      assertError(
          http.post(relay, "/v1/messages", key, OK.replace("\"t\"", "\"" + "x".repeat(20 * 1024) + "\"")),
          413,
          "too_large");
      assertError(
          http.post(relay, "/v1/messages", key, OK.replace("user@example.net", "blocked@example.net")),
          422,
          "recipient_suppressed");
      assertThat(http.post(relay, "/v1/messages", slow, OK).statusCode()).isEqualTo(202);
      HttpResponse<String> limited = http.post(relay, "/v1/messages", slow, OK);
      assertError(limited, 429, "rate_limited");
      assertThat(limited.headers().firstValue("Retry-After")).isPresent();
      assertThat(http.get(relay, "/v1/openapi.json", null).statusCode()).isEqualTo(200);
      // The suppression list: off here, and never for a key limited to sender domains.
      assertError(http.get(relay, "/v1/suppressions", slow), 404, "not_enabled");
      assertError(http.get(relay, "/v1/suppressions", key), 403, "key_not_allowed");
    }
  }

  @Test
  void idempotencyKeyReturnsTheFirstAnswerAcrossARestart() throws Exception {
    var config = ApiHarness.config(dir, TestRelays.PARKED_DELIVERY, "");
    String key = ApiHarness.createKey(dir, "shop", List.of(), Optional.empty());
    String first;
    try (Relay relay = Relay.start(config)) {
      HttpResponse<String> one = http.post(relay, "/v1/messages", key, OK, "Idempotency-Key", "order-4711");
      assertThat(one.statusCode()).isEqualTo(202);
      first = ApiHarness.id(one.body());
      HttpResponse<String> again = http.post(relay, "/v1/messages", key, OK, "Idempotency-Key", "order-4711");
      assertThat(again.statusCode()).isEqualTo(202);
      assertThat(ApiHarness.id(again.body())).isEqualTo(first);
      assertThat(relay.spool().pending()).hasSize(1);
    }
    try (Relay relay = Relay.start(config)) {
      HttpResponse<String> afterRestart =
          http.post(relay, "/v1/messages", key, OK, "Idempotency-Key", "order-4711");
      assertThat(afterRestart.statusCode()).isEqualTo(202);
      assertThat(ApiHarness.id(afterRestart.body())).isEqualTo(first);
      HttpResponse<String> other = http.post(relay, "/v1/messages", key, OK, "Idempotency-Key", "order-4712");
      assertThat(ApiHarness.id(other.body())).isNotEqualTo(first);
      assertThat(relay.spool().pending()).hasSize(2);
    }
  }

  @Test
  void aFullSpoolAnswers503() throws Exception {
    // A free-space floor no disk here meets: the spool's disk guard refuses every store.
    String yaml =
        ApiHarness.yaml(dir, TestRelays.PARKED_DELIVERY, "", "")
            .replace("  sync: group\n", "  sync: group\n  min-free-space: 1000000GB\n");
    try (Relay relay = Relay.start(io.vireo.config.ConfigLoader.parse(yaml, "test.yaml"))) {
      String key = ApiHarness.createKey(dir, "shop", List.of(), Optional.empty());
      assertError(http.post(relay, "/v1/messages", key, OK), 503, "unavailable");
    }
  }

  @Test
  void aDrainingRelayAnswers503() throws Exception {
    try (Relay relay = Relay.start(ApiHarness.config(dir, TestRelays.PARKED_DELIVERY, "", "shutdown:\n  grace: 60s\n"));
        SmtpTestClient smtp = SmtpTestClient.greeted("127.0.0.1", TestRelays.smtpPort(relay))) {
      String key = ApiHarness.createKey(dir, "shop", List.of(), Optional.empty());
      // A session inside DATA holds the drain open for its grace period.
      smtp.ehlo("app.test");
      smtp.command("MAIL FROM:<app@example.com>", 250);
      smtp.command("RCPT TO:<user@example.net>", 250);
      smtp.command("DATA", 354);
      smtp.send("Subject: slow");
      Thread closer = Thread.ofPlatform().start(relay::close);
      try {
        io.vireo.relay.testing.Await.until(
            "the API refuses while the relay drains",
            ApiHarness.TIMEOUT,
            () -> {
              try {
                return http.post(relay, "/v1/messages", key, OK).statusCode() == 503;
              } catch (Exception e) {
                throw new AssertionError(e);
              }
            });
        assertError(http.post(relay, "/v1/messages", key, OK), 503, "unavailable");
      } finally {
        smtp.send("");
        smtp.send(".");
        closer.join(ApiHarness.TIMEOUT.toMillis());
      }
    }
  }
}
