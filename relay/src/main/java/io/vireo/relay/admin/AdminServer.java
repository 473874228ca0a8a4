package io.vireo.relay.admin;

import io.vireo.relay.http.HttpServers;
import io.vireo.relay.suppression.SuppressionList;
import java.time.Duration;
import java.util.Optional;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP server: {@code GET /healthz} (200 while the process runs), {@code GET /readyz}
 * (200 while the relay should be sent mail, 503 with the reasons otherwise) and {@code GET
 * /metrics} (Prometheus text format). With a token configured ({@link AdminAccess}), every request
 * but the two probes must carry it.
 *
 * <p>It is the JDK's own {@link HttpServer} with a virtual thread per exchange: a handful of
 * requests a minute from a scraper and a prober need no framework, and it adds no dependency. Every
 * answer is JSON except the metrics; every error, authentication failures included, is {@code
 * {"error":{"code":...,"message":...}}}, never a stack trace (those go to the log).
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
  private static final int BACKLOG = 64;
  private static final Duration STOP_WAIT = Duration.ofSeconds(5);
  private static final String JSON = "application/json";
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  /**
   * Answered without a token even when one is configured: a kubelet's or a load balancer's health
   * check cannot keep a secret well, and these say no more than "alive" and "ready, or why not".
   * Metrics and everything added later need the token.
   */
  static final Set<String> PROBES = Set.of("/healthz", "/readyz");

  /** Writes a streamed body (a long queue listing) straight to the client. */
  @FunctionalInterface
  interface BodyWriter {
    void write(OutputStream out) throws IOException;
  }

  /**
   * One answer: status, type and body, plus a header some answers need (or null); a body too long
   * to hold is written by {@code stream} instead, chunked, as it is produced.
   */
  record Response(
      int status,
      String contentType,
      byte[] body,
      String header,
      String value,
      BodyWriter stream) {
    Response(int status, String contentType, byte[] body, String header, String value) {
      this(status, contentType, body, header, value, null);
    }

    static Response json(int status, byte[] body) {
      return new Response(status, JSON, body, null, null);
    }

    static Response stream(String contentType, BodyWriter stream) {
      return new Response(200, contentType, new byte[0], null, null, stream);
    }

    static Response error(int status, String code, String message) {
      return json(status, JsonBodies.error(code, message));
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final AdminAccess access;
  private final Map<String, Supplier<Response>> routes;
  private final Map<String, Supplier<Response>> postRoutes;
  private final QueueApi queueApi;
  private final SuppressionApi suppressionApi;

  private AdminServer(
      HttpServer server,
      ExecutorService executor,
      AdminAccess access,
      Map<String, Supplier<Response>> routes,
      Map<String, Supplier<Response>> postRoutes,
      QueueApi queueApi,
      SuppressionApi suppressionApi) {
    this.suppressionApi = suppressionApi;
    this.server = server;
    this.executor = executor;
    this.access = access;
    this.routes = routes;
    this.postRoutes = postRoutes;
    this.queueApi = queueApi;
  }

  /** As {@link #start(InetSocketAddress, AdminAccess, StatsSources, RelayMetrics, AdminActions)} with no actions. */
  public static AdminServer start(
      InetSocketAddress address, AdminAccess access, StatsSources sources, RelayMetrics metrics)
      throws IOException {
    return start(address, access, sources, metrics, AdminActions.NONE, QueueControl.NONE);
  }

  /**
   * Binds {@code address} and starts serving.
   *
   * @param sources the relay's parts, for readiness
   * @param metrics what {@code /metrics} publishes
   * @param actions what {@code POST /v1/reload} does
   * @param queue what the {@code /v1/queue} and {@code /v1/destinations} endpoints show and steer
   * @throws IOException if the address cannot be bound
   */
  public static AdminServer start(
      InetSocketAddress address,
      AdminAccess access,
      StatsSources sources,
      RelayMetrics metrics,
      AdminActions actions,
      QueueControl queue)
      throws IOException {
    return start(address, access, sources, metrics, actions, queue, Optional.empty());
  }

  /**
   * As above, with {@code /v1/suppressions} over {@code suppressions} (404 {@code not_enabled}
   * when empty).
   */
  public static AdminServer start(
      InetSocketAddress address,
      AdminAccess access,
      StatsSources sources,
      RelayMetrics metrics,
      AdminActions actions,
      QueueControl queue,
      Optional<SuppressionList> suppressions)
      throws IOException {
    Objects.requireNonNull(queue, "queue");
    Objects.requireNonNull(actions, "actions");
    Objects.requireNonNull(access, "access");
    Objects.requireNonNull(sources, "sources");
    Objects.requireNonNull(metrics, "metrics");
    Map<String, Supplier<Response>> routes =
        Map.of(
            "/healthz", () -> Response.json(200, JsonBodies.status("alive")),
            "/readyz", () -> readiness(sources),
            "/metrics",
                () ->
                    new Response(
                        200,
                        PROMETHEUS_TEXT,
                        metrics.scrape().getBytes(StandardCharsets.UTF_8),
                        null,
                        null));
    Map<String, Supplier<Response>> postRoutes = Map.of("/v1/reload", () -> reload(actions));
    HttpServer server;
    try {
      server = HttpServer.create(address, BACKLOG);
    } catch (BindException e) {
      // The JDK's message names no address; the operator needs the key to change.
      BindException named =
          new BindException("listen.admin " + format(address) + ": " + e.getMessage());
      named.initCause(e);
      throw named;
    }
    ExecutorService executor =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("admin-http-", 0).factory());
    AdminServer admin = new AdminServer(
            server,
            executor,
            access,
            routes,
            postRoutes,
            new QueueApi(queue, java.time.Clock.systemUTC()),
            new SuppressionApi(suppressions));
    server.setExecutor(executor);
    server.createContext("/", admin::handle);
    server.start();
    log.info(
        "admin HTTP listening on {}{}",
        admin.boundAddress(),
        access.tokenRequired() ? " (bearer token required)" : "");
    return admin;
  }

  private static String format(InetSocketAddress address) {
    String host = address.getAddress().getHostAddress();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  private static Response readiness(StatsSources sources) {
    Readiness readiness = Readiness.of(sources.listener().get(), sources.spool().get());
    return Response.json(readiness.ready() ? 200 : 503, JsonBodies.readiness(readiness));
  }

  private static Response reload(AdminActions actions) {
    return switch (actions.reload()) {
      case ReloadResult.Applied applied -> Response.json(200, JsonBodies.reloaded(applied));
      case ReloadResult.Refused refused ->
          Response.error(422, "config_invalid", refused.message());
    };
  }

  /** The address bound, with the real port when port 0 was asked for. */
  public InetSocketAddress boundAddress() {
    return server.getAddress();
  }

  private void handle(HttpExchange exchange) {
    try (exchange) {
      Response response;
      try {
        response = route(exchange);
      } catch (RuntimeException e) {
        log.warn(
            "admin {} {} failed",
            exchange.getRequestMethod(),
            exchange.getRequestURI().getRawPath(),
            e);
        response = Response.error(500, "internal_error", "the request failed; see the relay's log");
      }
      send(exchange, response);
    } catch (IOException e) {
      log.debug("admin client went away: {}", e.toString());
    }
  }

  private Response route(HttpExchange exchange) {
    String path = exchange.getRequestURI().getRawPath();
    // Authentication before routing, so an unauthenticated client learns nothing, not even which
    // paths exist; the probes excepted.
    if (!PROBES.contains(path)
        && !access.permits(exchange.getRequestHeaders().getFirst("Authorization"))) {
      return new Response(
          401,
          JSON,
          JsonBodies.error("unauthorized", "this admin server needs a valid bearer token"),
          "WWW-Authenticate",
          "Bearer realm=\"vireo-admin\"");
    }
    String method = exchange.getRequestMethod();
    Supplier<Response> post = postRoutes.get(path);
    boolean queuePath = QueueApi.handles(path);
    boolean suppressionPath = SuppressionApi.handles(path);
    if ((method.equals("POST") || method.equals("DELETE"))
        && (post != null || queuePath || suppressionPath)
        && exchange.getRequestHeaders().containsKey("Origin")) {
      // A browser sends Origin with every cross-site POST: a page on another site must not be
      // able to make a local relay flush, bounce or reload (no CORS is offered either).
      return Response.error(403, "forbidden", "the admin API does not answer browser requests");
    }
    if (queuePath) {
      return queueApi.handle(method, path, exchange.getRequestURI().getRawQuery());
    }
    if (suppressionPath) {
      return suppressionApi.handle(method, path, exchange.getRequestURI().getRawQuery());
    }
    if (post != null) {
      return method.equals("POST")
          ? post.get()
          : new Response(
              405,
              JSON,
              JsonBodies.error("method_not_allowed", path + " answers POST, not " + method),
              "Allow",
              "POST");
    }
    Supplier<Response> endpoint = routes.get(path);
    if (endpoint == null) {
      return Response.error(404, "not_found", "no such endpoint: " + path);
    }
    if (!method.equals("GET") && !method.equals("HEAD")) {
      return new Response(
          405,
          JSON,
          JsonBodies.error("method_not_allowed", path + " answers GET and HEAD, not " + method),
          "Allow",
          "GET, HEAD");
    }
    return endpoint.get();
  }

  private static void send(HttpExchange exchange, Response response) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", response.contentType());
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    if (response.header() != null) {
      exchange.getResponseHeaders().set(response.header(), response.value());
    }
    boolean head = exchange.getRequestMethod().equals("HEAD");
    if (response.stream() != null) {
      // 0: chunked, written as the listing is produced, so memory stays flat however long it is.
      exchange.sendResponseHeaders(response.status(), head ? -1 : 0);
      if (!head) {
        try (OutputStream out = new java.io.BufferedOutputStream(exchange.getResponseBody(), 65536)) {
          response.stream().write(out);
        }
      }
      return;
    }
    // -1: no body; 0 would mean a chunked body of unknown length.
    long length = head || response.body().length == 0 ? -1 : response.body().length;
    exchange.sendResponseHeaders(response.status(), length);
    if (length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(response.body());
      }
    }
  }

  /** Stops accepting, lets running exchanges finish briefly, then stops their threads. */
  @Override
  public void close() {
    HttpServers.stop(server, executor, STOP_WAIT);
    log.info("admin HTTP stopped");
  }
}
