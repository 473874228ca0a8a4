package io.vireo.relay.http;

import com.sun.net.httpserver.HttpServer;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** What the relay's embedded JDK HTTP servers (admin and send API) share. */
public final class HttpServers {
  private HttpServers() {}

  /**
   * Stops accepting, lets running exchanges finish for up to {@code wait}, then interrupts their
   * threads. {@code HttpServer.stop(0)} alone would leave the executor's threads running.
   */
  public static void stop(HttpServer server, ExecutorService executor, Duration wait) {
    server.stop(0);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(wait.toMillis(), TimeUnit.MILLISECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
