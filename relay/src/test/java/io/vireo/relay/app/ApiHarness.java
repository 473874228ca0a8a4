package io.vireo.relay.app;

import io.vireo.config.ConfigLoader;
import io.vireo.config.Rate;
import io.vireo.config.VireoConfig;
import io.vireo.relay.api.ApiKeys;
import io.vireo.relay.testing.TestRelays;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** A relay with the HTTP API on an ephemeral loopback port, and a JDK HttpClient to call it. */
final class ApiHarness {
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  /** The YAML of a relay whose API keeps its keys and state in {@code dir}; {@code extra} appended. */
  static String yaml(Path dir, String delivery, String apiLines, String extra) {
    return TestRelays.yaml(
        dir.resolve("spool"),
        delivery,
        """
        api:
          keys-file: "%s"
          dir: "%s"
        """
                .formatted(dir.resolve("api.keys"), dir.resolve("api-state"))
            + apiLines
            + extra)
        .replace("  admin: 127.0.0.1:0\n", "  admin: 127.0.0.1:0\n  http: 127.0.0.1:0\n");
  }

  static VireoConfig config(Path dir, String delivery, String extra) throws Exception {
    return config(dir, delivery, "", extra);
  }

  /** @param apiLines more keys of the {@code api} section, each indented by two spaces */
  static VireoConfig config(Path dir, String delivery, String apiLines, String extra)
      throws Exception {
    return ConfigLoader.parse(yaml(dir, delivery, apiLines, extra), "test.yaml");
  }

  static String createKey(Path dir, String name, List<String> senders, Optional<Rate> rate)
      throws Exception {
    return new ApiKeys(dir.resolve("api.keys")).create(name, senders, rate);
  }

  static URI uri(Relay relay, String path) {
    var address = relay.apiAddress().orElseThrow();
    return URI.create("http://127.0.0.1:" + address.getPort() + path);
  }

  HttpResponse<String> post(Relay relay, String path, String key, String json, String... headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(relay, path))
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(Relay relay, String path, String key) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(relay, path)).timeout(TIMEOUT).GET();
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A request without a body: {@code DELETE}, a {@code POST} with a query, {@code PUT}. */
  HttpResponse<String> send(Relay relay, String method, String path, String key) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(relay, path))
            .timeout(TIMEOUT)
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** {@link #get}'s body when it answers 200, else empty (for polling inside Await.until). */
  String okBody(Relay relay, String path, String key) {
    try {
      HttpResponse<String> response = get(relay, path, key);
      return response.statusCode() == 200 ? response.body() : "";
    } catch (Exception e) {
      throw new AssertionError("GET " + path + " failed", e);
    }
  }

  /** The queue id of a {@code {"id":"..."}} body. */
  static String id(String body) throws Exception {
    if (JsonValues.parse(body) instanceof java.util.Map<?, ?> map && map.get("id") instanceof String id) {
      return id;
    }
    throw new AssertionError("no id in " + body);
  }
}
