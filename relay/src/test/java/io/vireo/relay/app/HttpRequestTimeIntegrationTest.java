package io.vireo.relay.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slowloris on the HTTP listeners: a client that opens a connection to the send API or the admin
 * server and trickles its request head never finishes it. The JDK's HTTP server would keep such a
 * connection for ever; bin/jvm.flags gives it a time limit (5 minutes there, 2 seconds here, set on
 * this relay's command line after the file's flags), after which the server closes the connection,
 * while other clients are served all along.
 */
class HttpRequestTimeIntegrationTest {
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void aRequestHeadThatNeverEndsIsClosedWhileOthersAreServed() throws Exception {
    Path config = dir.resolve("vireo.yaml");
    Files.writeString(config, ApiHarness.yaml(dir, "", "", ""));
    try (RelayProcess relay =
        RelayProcess.serve(config, List.of("-Dsun.net.httpserver.maxReqTime=2"))) {
      relay.awaitReady(DEADLINE);
      for (InetSocketAddress server : List.of(relay.httpAddress(), relay.adminAddress())) {
        try (Socket slow = new Socket()) {
          slow.connect(server, 5_000);
          slow.setSoTimeout(500);
          InputStream in = slow.getInputStream();
          slow.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
          Instant started = Instant.now();
          Instant deadline = started.plusSeconds(30);
          boolean closed = false;
          while (!closed && Instant.now().isBefore(deadline)) {
            try {
              slow.getOutputStream().write('X'); // one more octet of a header that never ends
              closed = in.read() < 0;
            } catch (SocketTimeoutException e) {
              // Still open: the trickle goes on (each read waited half a second).
            } catch (IOException e) {
              closed = true; // reset while writing
            }
            if (!closed) {
              assertThat(openApiAnswers(relay)).as("others are served meanwhile").isEqualTo(200);
            }
          }
          assertThat(closed).as("the server closed the slow connection to %s", server).isTrue();
          assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofSeconds(30));
        }
      }
    }
  }

  private static int openApiAnswers(RelayProcess relay) throws Exception {
    InetSocketAddress api = relay.httpAddress();
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client
          .send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.getPort() + "/v1/openapi.json"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    }
  }
}
