package io.vireo.relay.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.mailbox.testing.ExternalTool;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Talks to a relay's admin server the way operators' tools do: the JDK's {@link HttpClient} (as a
 * prober would) and {@code curl}, each request bounded in time.
 */
final class AdminClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  /** What came back: status, content type and body as text. */
  record Reply(int status, String contentType, String body, HttpResponse<String> raw) {}

  private final InetSocketAddress address;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(TIMEOUT).version(HttpClient.Version.HTTP_1_1).build();

  AdminClient(InetSocketAddress address) {
    this.address = address;
  }

  /** The status of {@code GET /readyz}, or -1 when it could not be asked (for polling). */
  int readyStatus() {
    try {
      return get("/readyz").status();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  URI uri(String path) {
    return URI.create(
        "http://" + address.getAddress().getHostAddress() + ":" + address.getPort() + path);
  }

  Reply get(String path, String... headers) throws IOException, InterruptedException {
    return send("GET", path, headers);
  }

  Reply send(String method, String path, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri(path))
            .timeout(TIMEOUT)
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      request.headers(headers);
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    return new Reply(
        response.statusCode(),
        response.headers().firstValue("Content-Type").orElse(""),
        response.body(),
        response);
  }

  /**
   * The same request with {@code curl}; the status line and content type come back as the first
   * line ({@code "200 application/json"}), the body after it.
   */
  Reply curl(String path, String... extraArgs) throws IOException, InterruptedException {
    Path curl = ExternalTool.require("curl", "curl");
    Path body = Files.createTempFile("vireo-admin", ".body");
    try {
      List<String> command = new ArrayList<>();
      command.addAll(
          List.of(
              curl.toString(),
              "--silent",
              "--show-error",
              "--max-time",
              "15",
              "--output",
              body.toString(),
              "--write-out",
              "%{http_code} %{content_type}"));
      command.addAll(List.of(extraArgs));
      command.add(uri(path).toString());
      ProcessRunner.Result result = ProcessRunner.run(command, TIMEOUT.plusSeconds(5));
      assertThat(result.exitCode()).as("curl: %s", result.output()).isZero();
      String[] statusAndType = result.output().strip().split(" ", 2);
      return new Reply(
          Integer.parseInt(statusAndType[0]),
          statusAndType.length > 1 ? statusAndType[1] : "",
          Files.readString(body, StandardCharsets.UTF_8),
          null);
    } finally {
      Files.deleteIfExists(body);
    }
  }
}
