package io.vireo.relay.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.relay.testing.TestRelays;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /v1/suppressions} on the HTTP send API of a real relay, called with the JDK HttpClient:
 * list, add, show and remove, the same list (and the same answers) as the admin API and {@code
 * vireo suppression}; only keys without a sender restriction may use it.
 */
class ApiSuppressionIntegrationTest {
  private static final String SEND =
      "{\"from\": \"app@example.com\", \"to\": \"%s\", \"subject\": \"s\", \"text\": \"t\"}";

  @TempDir Path dir;

  private final ApiHarness http = new ApiHarness();

  @Test
  void anUnrestrictedKeyListsAddsAndRemovesARestrictedOneMayNot() throws Exception {
    try (Relay relay =
        Relay.start(ApiHarness.config(dir, TestRelays.PARKED_DELIVERY, "suppression:\n  enabled: true\n"))) {
      String ops = ApiHarness.createKey(dir, "ops", List.of(), Optional.empty());
      String shop = ApiHarness.createKey(dir, "shop", List.of("example.com"), Optional.empty());

      HttpResponse<String> forbidden = http.get(relay, "/v1/suppressions", shop);
      assertThat(forbidden.statusCode()).isEqualTo(403);
      assertThat(forbidden.body()).contains("\"code\":\"key_not_allowed\"");
      assertThat(http.send(relay, "POST", "/v1/suppressions?address=x@example.net", shop).statusCode())
          .isEqualTo(403);
      assertThat(http.get(relay, "/v1/suppressions", null).statusCode()).isEqualTo(401);

      assertThat(http.get(relay, "/v1/suppressions", ops).body()).isEqualTo("{\"suppressions\":[]}\n");
      HttpResponse<String> added =
          http.send(relay, "POST", "/v1/suppressions?address=Gone%2Btag@Example.net&reason=asked%20us", ops);
      assertThat(added.statusCode()).as(added.body()).isEqualTo(201);
      assertThat(added.body())
          .startsWith("{\"address\":\"gone+tag@example.net\",\"reason\":\"asked us\",\"added\":\"");
      assertThat(http.send(relay, "POST", "/v1/suppressions?address=gone%2Btag@example.net", ops).statusCode())
          .as("already suppressed: the entry kept")
          .isEqualTo(200);
      assertThat(relay.suppressions().orElseThrow().find("gone+tag@example.net").orElseThrow().reason())
          .isEqualTo("asked us");

      // The same list as the admin API shows, and the send API refuses the address.
      String listed = http.get(relay, "/v1/suppressions", ops).body();
      assertThat(listed).contains("gone+tag@example.net");
      assertThat(new AdminClient(relay.adminAddress()).get("/v1/suppressions").body()).isEqualTo(listed);
      assertThat(http.get(relay, "/v1/suppressions/gone+tag@example.net", ops).statusCode()).isEqualTo(200);
      assertThat(http.post(relay, "/v1/messages", shop, SEND.formatted("gone+tag@example.net")).statusCode())
          .isEqualTo(422);

      HttpResponse<String> removed = http.send(relay, "DELETE", "/v1/suppressions/gone+tag@example.net", ops);
      assertThat(removed.statusCode()).isEqualTo(200);
      assertThat(removed.body()).contains("\"removed\":true");
      assertThat(http.send(relay, "DELETE", "/v1/suppressions/gone+tag@example.net", ops).body())
          .contains("\"code\":\"not_found\"");
      assertThat(http.post(relay, "/v1/messages", shop, SEND.formatted("gone+tag@example.net")).statusCode())
          .isEqualTo(202);

      assertThat(http.send(relay, "POST", "/v1/suppressions", ops).body()).contains("\"code\":\"invalid_request\"");
      assertThat(http.send(relay, "POST", "/v1/suppressions?address=nobody", ops).statusCode()).isEqualTo(400);
      assertThat(http.send(relay, "PUT", "/v1/suppressions", ops).statusCode()).isEqualTo(405);
    }
  }
}
