package io.vireo.relay.admin;

import io.vireo.queue.MessageId;
import io.vireo.queue.QueuedMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue endpoints of the admin API: {@code GET /v1/queue} (streamed, one JSON object per
 * message and line), {@code GET /v1/queue/summary}, {@code GET /v1/queue/ID}, {@code POST
 * /v1/queue/flush} and {@code POST /v1/queue/bounce} (each with {@code id=}, {@code domain=} or
 * {@code all=true}), and {@code GET /v1/destinations}.
 */
final class QueueApi {
  private static final Logger log = LoggerFactory.getLogger(QueueApi.class);
  static final String NDJSON = "application/x-ndjson";

  private final QueueControl queue;
  private final Clock clock;

  QueueApi(QueueControl queue, Clock clock) {
    this.queue = queue;
    this.clock = clock;
  }

  static boolean handles(String path) {
    return path.equals("/v1/queue")
        || path.startsWith("/v1/queue/")
        || path.equals("/v1/destinations");
  }

  AdminServer.Response handle(String method, String path, String rawQuery) {
    Map<String, String> query;
    try {
      query = query(rawQuery);
    } catch (IllegalArgumentException e) {
      return AdminServer.Response.error(400, "bad_request", e.getMessage());
    }
    boolean read = method.equals("GET") || method.equals("HEAD");
    try {
      return switch (path) {
        case "/v1/queue" -> read ? list(query) : notAllowed(path, "GET, HEAD", method);
        case "/v1/queue/summary" ->
            read
                ? AdminServer.Response.json(200, QueueJson.summary(queue.pending(), clock.instant()))
                : notAllowed(path, "GET, HEAD", method);
        case "/v1/destinations" ->
            read
                ? AdminServer.Response.json(200, QueueJson.destinations(queue.destinations()))
                : notAllowed(path, "GET, HEAD", method);
        case "/v1/queue/flush" ->
            method.equals("POST")
                ? counts("flush", queue.flush(QueueSelection.parse(query)))
                : notAllowed(path, "POST", method);
        case "/v1/queue/bounce" ->
            method.equals("POST")
                ? counts("bounce", queue.bounce(QueueSelection.parse(query)))
                : notAllowed(path, "POST", method);
        default -> read ? show(path.substring("/v1/queue/".length())) : notAllowed(path, "GET, HEAD", method);
      };
    } catch (IllegalArgumentException e) {
      return AdminServer.Response.error(400, "bad_request", e.getMessage());
    }
  }

  private AdminServer.Response list(Map<String, String> query) {
    QueueFilter filter = QueueFilter.parse(query);
    return AdminServer.Response.stream(
        NDJSON,
        out -> {
          long written = QueueJson.writeMessages(queue.pending(), filter, clock.instant(), out);
          log.debug("admin queue list: {} messages", written);
        });
  }

  private AdminServer.Response show(String id) {
    if (!MessageId.isValid(id)) {
      return AdminServer.Response.error(404, "not_found", "not a queue id: " + id);
    }
    Optional<QueuedMessage> message = queue.find(new MessageId(id));
    if (message.isEmpty()) {
      return AdminServer.Response.error(404, "not_found", "no such message in the queue: " + id);
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    try {
      QueueJson.writeMessage(message.get(), body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return AdminServer.Response.json(200, body.toByteArray());
  }

  private static AdminServer.Response counts(String operation, QueueControl.Counts counts) {
    return AdminServer.Response.json(200, QueueJson.counts(operation, counts));
  }

  static AdminServer.Response notAllowed(String path, String allow, String method) {
    return new AdminServer.Response(
        405,
        "application/json",
        JsonBodies.error("method_not_allowed", path + " answers " + allow + ", not " + method),
        "Allow",
        allow);
  }

  /** {@code a=1&b=2}, percent-decoded; a repeated key is refused. */
  static Map<String, String> query(String raw) {
    Map<String, String> query = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return query;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      if (query.put(key, value) != null) {
        throw new IllegalArgumentException("parameter given twice: " + key);
      }
    }
    return query;
  }
}
