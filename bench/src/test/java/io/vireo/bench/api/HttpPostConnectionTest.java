package io.vireo.bench.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bench's HTTP client against the JDK's HTTP server, the one the relay's API runs on. */
class HttpPostConnectionTest {
  private HttpServer server;
  private final List<String> bodies = new CopyOnWriteArrayList<>();
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final AtomicInteger requests = new AtomicInteger();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext(
        "/v1/messages",
        exchange -> {
          try (exchange) {
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] answer = ("{\"id\":\"" + requests.incrementAndGet() + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(202, answer.length);
            exchange.getResponseBody().write(answer);
          }
        });
    server.createContext(
        "/chunked",
        exchange -> {
          try (exchange) {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, 0); // 0: chunked
            exchange.getResponseBody().write("x".getBytes(StandardCharsets.US_ASCII));
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  @Test
  void postsTheSameRequestManyTimesOnOneConnection() throws Exception {
    byte[] body = "{\"text\":\"hé\"}".getBytes(StandardCharsets.UTF_8);
    try (HttpPostConnection connection =
        HttpPostConnection.open(uri("/v1/messages"), Map.of("Authorization", "Bearer k"), body)) {
      for (int i = 0; i < 100; i++) {
        assertThat(connection.post()).isEqualTo(202);
      }
    }
    assertThat(bodies).hasSize(100).allMatch("{\"text\":\"hé\"}"::equals);
    assertThat(authorizations).allMatch("Bearer k"::equals);
  }

  @Test
  void aChunkedAnswerIsAnError() throws Exception {
    try (HttpPostConnection connection = HttpPostConnection.open(uri("/chunked"), Map.of(), new byte[] {'x'})) {
      assertThatThrownBy(connection::post).isInstanceOf(IOException.class).hasMessageContaining("chunked");
    }
  }
}
