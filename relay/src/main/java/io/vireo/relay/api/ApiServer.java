package io.vireo.relay.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.vireo.config.ApiConfig;
import io.vireo.config.Rate;
import io.vireo.relay.compose.MessageComposer;
import io.vireo.relay.http.HttpServers;
import io.vireo.relay.intake.MessageIntake;
import io.vireo.relay.suppression.SuppressionRequests;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP send API on {@code listen.http}: {@code POST /v1/messages}, {@code /v1/messages/raw},
 * {@code /v1/messages/batch}, {@code GET /v1/messages/{id}}, {@code /v1/suppressions} (for keys
 * without a sender restriction) and {@code GET /v1/openapi.json}. The
 * JDK's own {@link HttpServer} with a virtual thread per exchange, as the admin server; every
 * request but the OpenAPI document needs an API key. Every error is {@code
 * {"error":{"code":...,"message":...}}} with its status, never a stack trace (those go to the log).
 */
public final class ApiServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
  private static final int BACKLOG = 1024;
  private static final Duration STOP_WAIT = Duration.ofSeconds(5);
  private static final int MAX_IDEMPOTENCY_KEY = 255;
  private static final int MAX_IDEMPOTENCY_ENTRIES = 1_000_000;
  private static final String MESSAGES = "/v1/messages";

  private final HttpServer server;
  private final ExecutorService executor;
  private final ApiKeys keys;
  private final Rate defaultRate;
  private final long maxBodySize;
  private final RateLimiter limiter = new RateLimiter(System::nanoTime);
  private final IdempotencyStore idempotency;
  private final LabelStore labels;
  private final Submitter submitter;
  private final MessageStatus status;
  private final SuppressionRequests suppressions;
  private final byte[] openApi;
  private volatile boolean draining;

  private ApiServer(
      HttpServer server,
      ExecutorService executor,
      ApiConfig config,
      ApiKeys keys,
      IdempotencyStore idempotency,
      LabelStore labels,
      Submitter submitter,
      MessageStatus status,
      SuppressionRequests suppressions)
      throws IOException {
    this.server = server;
    this.executor = executor;
    this.keys = keys;
    this.defaultRate = config.rate();
    this.maxBodySize = config.maxBodySize();
    this.idempotency = idempotency;
    this.labels = labels;
    this.submitter = submitter;
    this.status = status;
    this.suppressions = suppressions;
    try (InputStream in = ApiServer.class.getResourceAsStream("openapi.json")) {
      this.openApi = Objects.requireNonNull(in, "openapi.json is missing").readAllBytes();
    }
  }

  /**
   * Binds {@code address} and starts serving.
   *
   * @throws IOException if the address cannot be bound, the keys file cannot be read or the state
   *     directory cannot be opened
   */
  public static ApiServer start(
      InetSocketAddress address, ApiConfig config, String hostname, ApiParts parts, Clock clock)
      throws IOException {
    LabelStore labels = parts.labels();
    ApiKeys keys = new ApiKeys(config.keysFile().orElseThrow());
    try {
      keys.load(); // before binding: the first requests find their keys
    } catch (IOException e) {
      labels.close();
      throw e;
    }
    IdempotencyStore idempotency =
        new IdempotencyStore(
            config.dir().resolve("idempotency.jsonl"),
            config.idempotencyWindow(),
            MAX_IDEMPOTENCY_ENTRIES,
            clock);
    HttpServer server;
    try {
      server = HttpServer.create(address, BACKLOG);
    } catch (BindException e) {
      idempotency.close();
      labels.close();
      BindException named = new BindException("listen.http " + address + ": " + e.getMessage());
      named.initCause(e);
      throw named;
    }
    ExecutorService executor =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("api-http-", 0).factory());
    ApiServer api =
        new ApiServer(
            server,
            executor,
            config,
            keys,
            idempotency,
            labels,
            new Submitter(parts.intake(), new MessageComposer(hostname, clock), parts, clock),
            new MessageStatus(parts.spool(), labels, parts.history()),
            new SuppressionRequests(parts.suppressions()));
    server.setExecutor(executor);
    server.createContext("/", api::handle);
    server.start();
    log.info("HTTP send API listening on {}", api.boundAddress());
    return api;
  }

  /** The address bound, with the real port when port 0 was asked for. */
  public InetSocketAddress boundAddress() {
    return server.getAddress();
  }

  /** The tags and metadata of API messages, for the events about them. */
  public SubmissionLabels labels() {
    return labels;
  }

  /** From now on every submission gets 503: the relay is stopping. */
  public void drain() {
    draining = true;
  }

  private void handle(HttpExchange exchange) {
    try (exchange) {
      Answer answer;
      try {
        answer = route(exchange);
      } catch (ApiException e) {
        answer = Answer.of(e.error());
      } catch (RuntimeException e) {
        log.warn(
            "api {} {} failed",
            exchange.getRequestMethod(),
            exchange.getRequestURI().getRawPath(),
            e);
        answer =
            Answer.of(new ApiError(500, "internal_error", "the request failed; see the relay's log"));
      }
      send(exchange, answer);
    } catch (IOException e) {
      log.debug("api client went away: {}", e.toString());
    }
  }

  private Answer route(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getRawPath();
    String method = exchange.getRequestMethod();
    if (path.equals("/v1/openapi.json") && method.equals("GET")) {
      return new Answer(200, openApi);
    }
    ApiKey key = authenticate(exchange);
    if (method.equals("GET") && path.startsWith(MESSAGES + "/")) {
      return status.show(key, path.substring(MESSAGES.length() + 1));
    }
    if (SuppressionRequests.handles(path)) {
      return suppressions(key, method, path, exchange.getRequestURI().getRawQuery());
    }
    if (!method.equals("POST")) {
      return Answer.of(new ApiError(405, "method_not_allowed", method + " " + path + " is not served"));
    }
    return switch (path) {
      case MESSAGES -> post(exchange, key, 1, body -> one(key, RequestParser.compose(body), exchange));
      case MESSAGES + "/raw" -> post(exchange, key, 1, body -> one(key, RequestParser.raw(body), exchange));
      case MESSAGES + "/batch" -> post(exchange, key, 0, body -> batch(key, body, exchange));
      default -> Answer.of(ApiError.notFound("no such endpoint: " + path));
    };
  }

  /**
   * The suppression list, for keys without a sender restriction only: the list is the relay's, not
   * a sender's, so a key limited to its own domains may neither read the addresses other senders'
   * mail bounced from nor lift a suppression that protects them.
   */
  private Answer suppressions(ApiKey key, String method, String path, String rawQuery) {
    if (!key.senderDomains().isEmpty()) {
      return Answer.of(ApiError.keyNotAllowed());
    }
    return switch (suppressions.handle(method, path, rawQuery)) {
      case SuppressionRequests.Reply.Json(int status, byte[] body) -> new Answer(status, body);
      case SuppressionRequests.Reply.Refused(var problem, String message, String allow) ->
          Answer.of(
              switch (problem) {
                case NOT_ENABLED -> new ApiError(404, "not_enabled", message);
                case NOT_FOUND -> ApiError.notFound(message);
                case INVALID -> ApiError.invalid(message);
                case METHOD -> new ApiError(405, "method_not_allowed", message);
              });
    };
  }

  private ApiKey authenticate(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new ApiException(ApiError.unauthorized());
    }
    return keys.find(header.substring(7).strip())
        .orElseThrow(() -> new ApiException(ApiError.unauthorized()));
  }

  private interface BodyHandler {
    Answer handle(byte[] body);
  }

  /** Drain, body size and rate checks shared by the POST endpoints, then the idempotency key. */
  private Answer post(HttpExchange exchange, ApiKey key, int tokens, BodyHandler handler)
      throws IOException {
    if (draining) {
      return Answer.of(ApiError.unavailable("the relay is stopping; retry on another node"));
    }
    byte[] body = readBody(exchange);
    if (tokens > 0 && !limiter.tryAcquire(key.name(), key.rate().orElse(defaultRate), tokens)) {
      return Answer.of(ApiError.rateLimited());
    }
    String idempotencyKey = exchange.getRequestHeaders().getFirst("Idempotency-Key");
    if (idempotencyKey == null) {
      return handler.handle(body);
    }
    if (idempotencyKey.isEmpty() || idempotencyKey.length() > MAX_IDEMPOTENCY_KEY) {
      return Answer.of(ApiError.invalid("Idempotency-Key must be 1 to 255 characters"));
    }
    return idempotency.once(key.name(), idempotencyKey, () -> {
      try {
        return handler.handle(body);
      } catch (ApiException e) {
        return Answer.of(e.error());
      }
    });
  }

  private Answer one(ApiKey key, SendRequest request, HttpExchange exchange) {
    return submitter.submit(key, request, client(exchange));
  }

  private Answer batch(ApiKey key, byte[] body, HttpExchange exchange) {
    List<Object> items = RequestParser.batch(body);
    if (!limiter.tryAcquire(key.name(), key.rate().orElse(defaultRate), items.size())) {
      return Answer.of(ApiError.rateLimited());
    }
    List<Answer> answers = new ArrayList<>(items.size());
    for (Object item : items) {
      Answer answer;
      try {
        if (!(item instanceof Map<?, ?>)) {
          throw new ApiException(ApiError.invalid("each message must be a JSON object"));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> fields = (Map<String, Object>) item;
        answer = one(key, RequestParser.compose(fields), exchange);
      } catch (ApiException e) {
        answer = Answer.of(e.error());
      }
      answers.add(answer);
    }
    return new Answer(200, JsonText.object(json -> {
      json.writeArrayFieldStart("results");
      for (Answer answer : answers) {
        json.writeStartObject();
        json.writeNumberField("status", answer.status());
        // Each item's own body ({"id":...} or {"error":...}), merged into the result object.
        json.writeRaw(',');
        String inner = new String(answer.body(), StandardCharsets.UTF_8).strip();
        json.writeRaw(inner.substring(1, inner.length() - 1));
        json.writeEndObject();
      }
      json.writeEndArray();
    }));
  }

  /** The body, or 413 as soon as it is known to be larger than {@code api.max-body-size}. */
  private byte[] readBody(HttpExchange exchange) throws IOException {
    String declared = exchange.getRequestHeaders().getFirst("Content-Length");
    if (declared != null) {
      try {
        if (Long.parseLong(declared.strip()) > maxBodySize) {
          throw new ApiException(ApiError.tooLarge("the body is larger than " + maxBodySize + " bytes"));
        }
      } catch (NumberFormatException e) {
        throw new ApiException(ApiError.invalid("bad Content-Length"));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    byte[] buffer = new byte[16384];
    try (InputStream in = exchange.getRequestBody()) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        if (out.size() + (long) n > maxBodySize) {
          throw new ApiException(ApiError.tooLarge("the body is larger than " + maxBodySize + " bytes"));
        }
        out.write(buffer, 0, n);
      }
    }
    return out.toByteArray();
  }

  private static String client(HttpExchange exchange) {
    return exchange.getRemoteAddress().getAddress().getHostAddress();
  }

  private static void send(HttpExchange exchange, Answer answer) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    if (answer.status() == 401) {
      exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"vireo-api\"");
    }
    if (answer.status() == 429 || answer.status() == 503) {
      exchange.getResponseHeaders().set("Retry-After", "1");
    }
    byte[] body = answer.body();
    exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** Stops accepting, lets running exchanges finish briefly, then closes the durable logs. */
  @Override
  public void close() {
    draining = true;
    HttpServers.stop(server, executor, STOP_WAIT);
    idempotency.close();
    labels.close();
    log.info("HTTP send API stopped");
  }
}
