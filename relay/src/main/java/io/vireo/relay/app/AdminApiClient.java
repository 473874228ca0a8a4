package io.vireo.relay.app;

import io.vireo.config.VireoConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The CLI's way to the running relay: its admin API, found from the configuration ({@code
 * listen.admin}, with the bearer token of {@code admin.token-file} when one is set).
 */
final class AdminApiClient {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(10);

  /** The relay does not answer at its admin address: it is not running (or listens elsewhere). */
  static final class NotRunningException extends IOException {
    NotRunningException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** An answer: the status and the body (JSON). */
  record Answer(int status, String body) {}

  private final URI base;
  private final Optional<String> token;
  private final HttpClient http =
      HttpClient.newBuilder()
          .connectTimeout(CONNECT_TIMEOUT)
          .version(HttpClient.Version.HTTP_1_1)
          .build();

  private AdminApiClient(URI base, Optional<String> token) {
    this.base = base;
    this.token = token;
  }

  /**
   * A client for the relay {@code config} describes. A wildcard admin address ({@code 0.0.0.0},
   * {@code ::}) is reached on loopback.
   *
   * @throws IOException when the token file cannot be read
   */
  static AdminApiClient forConfig(VireoConfig config) throws IOException {
    InetSocketAddress address = config.listen().admin().toSocketAddress();
    InetAddress host = address.getAddress();
    if (host.isAnyLocalAddress()) {
      host = InetAddress.getLoopbackAddress();
    }
    String literal = host.getHostAddress();
    String authority =
        (literal.indexOf(':') >= 0 ? "[" + literal + "]" : literal) + ":" + address.getPort();
    Optional<String> token = Optional.empty();
    Optional<Path> tokenFile = config.admin().token();
    if (tokenFile.isPresent()) {
      try {
        token = Optional.of(Files.readString(tokenFile.get(), StandardCharsets.UTF_8).strip());
      } catch (IOException e) {
        throw new IOException(
            "admin.token-file " + tokenFile.get() + ": cannot read it (" + e + ")", e);
      }
    }
    return new AdminApiClient(URI.create("http://" + authority), token);
  }

  /** Where the relay is asked. */
  URI base() {
    return base;
  }

  Answer get(String pathAndQuery) throws IOException, InterruptedException {
    return send(request(pathAndQuery).GET());
  }

  Answer post(String pathAndQuery) throws IOException, InterruptedException {
    return send(request(pathAndQuery).POST(HttpRequest.BodyPublishers.noBody()));
  }

  Answer delete(String pathAndQuery) throws IOException, InterruptedException {
    return send(request(pathAndQuery).DELETE());
  }

  /** A GET whose body is read as it arrives (a long queue listing). */
  HttpResponse<InputStream> stream(String pathAndQuery) throws IOException, InterruptedException {
    try {
      return http.send(request(pathAndQuery).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    } catch (ConnectException e) {
      throw notRunning(e);
    }
  }

  /** A POST whose streamed answer (progress lines, then the counts) is read as it arrives. */
  HttpResponse<InputStream> streamPost(String pathAndQuery)
      throws IOException, InterruptedException {
    try {
      return http.send(
          request(pathAndQuery).POST(HttpRequest.BodyPublishers.noBody()).build(),
          HttpResponse.BodyHandlers.ofInputStream());
    } catch (ConnectException e) {
      throw notRunning(e);
    }
  }

  private HttpRequest.Builder request(String pathAndQuery) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(base.resolve(pathAndQuery)).timeout(REQUEST_TIMEOUT);
    token.ifPresent(t -> builder.header("Authorization", "Bearer " + t));
    return builder;
  }

  private Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
    try {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Answer(response.statusCode(), response.body());
    } catch (ConnectException e) {
      throw notRunning(e);
    }
  }

  private NotRunningException notRunning(ConnectException e) {
    return new NotRunningException(
        "no relay answers on " + base.getAuthority() + " (listen.admin): is it running?", e);
  }
}
