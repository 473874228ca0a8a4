package io.vireo.relay.admin;

import io.vireo.queue.MessageId;
import io.vireo.queue.QueuedMessage;
import io.vireo.relay.http.QueryStrings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The queue endpoints of the admin API: {@code GET /v1/queue} (streamed, one JSON object per
 * message and line), {@code GET /v1/queue/summary}, {@code GET /v1/queue/ID}, {@code POST
 * /v1/queue/flush|bounce|hold|release|delete} (each with {@code id=}, a filter of {@code
 * domain=}, {@code sender=}, {@code recipient=}, or {@code all=true}; streamed: a progress line
 * every {@code progress=N} messages, 10,000 by default, then the final counts), {@code GET
 * /v1/destinations} and {@code POST /v1/destinations/suspend|resume?destination=KEY}.
 */
final class QueueApi {
  private static final Logger log = LoggerFactory.getLogger(QueueApi.class);
  static final String NDJSON = "application/x-ndjson";
  static final long DEFAULT_PROGRESS_STEP = 10_000;

  private final QueueControl queue;
  private final Clock clock;

  QueueApi(QueueControl queue, Clock clock) {
    this.queue = queue;
    this.clock = clock;
  }

  static boolean handles(String path) {
    return path.equals("/v1/queue")
        || path.startsWith("/v1/queue/")
        || path.equals("/v1/destinations")
        || path.startsWith("/v1/destinations/");
  }

  AdminServer.Response handle(String method, String path, String rawQuery) {
    Map<String, String> query;
    try {
      query = QueryStrings.parse(rawQuery);
    } catch (IllegalArgumentException e) {
      return AdminServer.Response.error(400, "bad_request", e.getMessage());
    }
    boolean read = method.equals("GET") || method.equals("HEAD");
    try {
      return switch (path) {
        case "/v1/queue" -> read ? list(query) : notAllowed(path, "GET, HEAD", method);
        case "/v1/queue/summary" ->
            read
                ? AdminServer.Response.json(200, QueueJson.summary(queue::page, clock.instant()))
                : notAllowed(path, "GET, HEAD", method);
        case "/v1/destinations" ->
            read
                ? AdminServer.Response.json(200, QueueJson.destinations(queue.destinations()))
                : notAllowed(path, "GET, HEAD", method);
        case "/v1/destinations/suspend", "/v1/destinations/resume" ->
            method.equals("POST") ? destination(path, query) : notAllowed(path, "POST", method);
        default -> {
          if (path.startsWith("/v1/destinations/")) {
            yield AdminServer.Response.error(404, "not_found", "no such endpoint: " + path);
          }
          QueueChange change = QueueChange.ofPath(path.substring("/v1/queue/".length()));
          if (change != null) {
            yield method.equals("POST") ? change(change, query) : notAllowed(path, "POST", method);
          }
          yield read
              ? show(path.substring("/v1/queue/".length()))
              : notAllowed(path, "GET, HEAD", method);
        }
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
          long written = QueueJson.writeMessages(queue::page, filter, clock.instant(), out);
          log.debug("admin queue list: {} messages", written);
        });
  }

  /**
   * A change, streamed: a progress line every {@code progress=N} messages, then the final counts,
   * each line sent as it is written, so a client sees a 100,000-message bounce advance. A failure
   * after the first line is the last line, as an error object (the status is sent already).
   */
  private AdminServer.Response change(QueueChange change, Map<String, String> query) {
    QueueSelection selection = QueueSelection.parse(query);
    long step = DEFAULT_PROGRESS_STEP;
    if (query.get("progress") != null) {
      try {
        step = Long.parseLong(query.get("progress"));
      } catch (NumberFormatException e) {
        step = -1;
      }
      if (step <= 0) {
        throw new IllegalArgumentException(
            "progress must be a whole number above 0: " + query.get("progress"));
      }
    }
    long every = step;
    return AdminServer.Response.stream(
        NDJSON,
        out -> {
          long[] next = {every};
          QueueControl.Counts counts;
          try {
            counts =
                queue.change(
                    change,
                    selection,
                    soFar -> {
                      if (soFar.messages() < next[0]) {
                        return;
                      }
                      next[0] = soFar.messages() + every;
                      try {
                        out.write(QueueJson.progress(change.path(), soFar));
                        out.flush();
                      } catch (IOException e) {
                        throw new UncheckedIOException(e);
                      }
                    });
          } catch (UncheckedIOException e) {
            throw e.getCause();
          } catch (RuntimeException e) {
            log.warn("admin queue {} failed", change.path(), e);
            out.write(
                JsonBodies.error("internal_error", "the " + change.path() + " failed; see the relay's log"));
            return;
          }
          out.write(QueueJson.counts(change.path(), counts));
        });
  }

  private AdminServer.Response destination(String path, Map<String, String> query) {
    String key = query.get("destination");
    if (key == null || key.isBlank()) {
      throw new IllegalArgumentException("name the destination: destination=KEY");
    }
    boolean suspend = path.endsWith("/suspend");
    boolean changed = suspend ? queue.suspend(key) : queue.resume(key);
    return AdminServer.Response.json(
        200,
        JsonBodies.write(
            json -> {
              json.writeStringField("destination", key);
              json.writeBooleanField("operator_suspended", suspend);
              json.writeBooleanField("changed", changed);
            }));
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

  static AdminServer.Response notAllowed(String path, String allow, String method) {
    return new AdminServer.Response(
        405,
        "application/json",
        JsonBodies.error("method_not_allowed", path + " answers " + allow + ", not " + method),
        "Allow",
        allow);
  }
}
