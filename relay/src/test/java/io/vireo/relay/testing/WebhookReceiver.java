package io.vireo.relay.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real webhook receiver on loopback (the JDK's HTTP server): records every POST with its
 * signature header, and answers 200, or 503 while {@link #refuse} is on. {@link #stop} closes the
 * port (connections refused) and {@link #start} opens the same port again.
 */
public final class WebhookReceiver implements AutoCloseable {
  /** One request as it arrived. */
  public record Request(String signature, byte[] body, int status) {}

  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger refused = new AtomicInteger();
  private volatile boolean refuse;
  private volatile int port;
  private HttpServer server;
  private ExecutorService executor;

  public WebhookReceiver() throws IOException {
    start();
  }

  public synchronized void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
    executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    server.createContext("/hook", this::handle);
    server.start();
    port = server.getAddress().getPort();
  }

  public synchronized void stop() {
    server.stop(0);
    executor.shutdownNow();
  }

  public void refuse(boolean on) {
    refuse = on;
  }

  public String url() {
    return "http://127.0.0.1:" + port + "/hook";
  }

  /** Requests answered 200, in arrival order. */
  public List<Request> accepted() {
    return requests.stream().filter(r -> r.status() == 200).toList();
  }

  public int refusedCount() {
    return refused.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      int status = refuse ? 503 : 200;
      if (refuse) {
        refused.incrementAndGet();
      }
      requests.add(
          new Request(exchange.getRequestHeaders().getFirst("Vireo-Signature"), body, status));
      exchange.sendResponseHeaders(status, -1);
    }
  }

  @Override
  public void close() {
    stop();
  }
}
