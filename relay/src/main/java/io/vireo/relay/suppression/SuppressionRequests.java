package io.vireo.relay.suppression;

import io.vireo.relay.http.QueryStrings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The suppression list over HTTP, one implementation for the admin API and the HTTP send API
 * (each maps the answer to its own error vocabulary): {@code GET /v1/suppressions} (every entry in
 * force), {@code GET /v1/suppressions/ADDRESS}, {@code POST /v1/suppressions?address=A&reason=R}
 * (201; 200 when already suppressed, the entry kept) and {@code DELETE /v1/suppressions/ADDRESS}.
 * {@code vireo suppression list|add|remove} calls these on the admin API, or the same {@link
 * SuppressionList} methods on the file when the relay is stopped.
 */
public final class SuppressionRequests {
  public static final String PATH = "/v1/suppressions";
  static final String DEFAULT_REASON = "added by an operator";

  /** Why a request was refused; each server names it in its own error codes. */
  public enum Problem {
    /** {@code suppression.enabled} is false (404). */
    NOT_ENABLED(404),
    /** The address is not on the list (404). */
    NOT_FOUND(404),
    /** No or a malformed address, a repeated parameter (400). */
    INVALID(400),
    /** The method is not served on this path (405, with the methods that are). */
    METHOD(405);

    private final int status;

    Problem(int status) {
      this.status = status;
    }

    public int status() {
      return status;
    }
  }

  /** An answer: a JSON body, or a refusal. */
  public sealed interface Reply {
    record Json(int status, byte[] body) implements Reply {}

    /** @param allow the methods the path serves, for {@link Problem#METHOD}; else null */
    record Refused(Problem problem, String message, String allow) implements Reply {}
  }

  private final Optional<SuppressionList> list;

  public SuppressionRequests(Optional<SuppressionList> list) {
    this.list = list;
  }

  public static boolean handles(String path) {
    return path.equals(PATH) || path.startsWith(PATH + "/");
  }

  /**
   * @param path the raw (percent-encoded) path, one {@link #handles} accepts
   * @param rawQuery the raw query, or null
   */
  public Reply handle(String method, String path, String rawQuery) {
    if (list.isEmpty()) {
      return new Reply.Refused(
          Problem.NOT_ENABLED, "the suppression list is off (suppression.enabled: false)", null);
    }
    SuppressionList suppressions = list.get();
    try {
      if (path.equals(PATH)) {
        return switch (method) {
          case "GET", "HEAD" -> new Reply.Json(200, SuppressionJson.list(suppressions.list()));
          case "POST" -> add(suppressions, QueryStrings.parse(rawQuery));
          default -> notAllowed(path, "GET, HEAD, POST", method);
        };
      }
      String address = decode(path.substring(PATH.length() + 1));
      return switch (method) {
        case "GET", "HEAD" ->
            suppressions
                .find(address)
                .<Reply>map(s -> new Reply.Json(200, SuppressionJson.entry(s)))
                .orElseGet(() -> notSuppressed(address));
        case "DELETE" ->
            suppressions.remove(address)
                ? new Reply.Json(200, SuppressionJson.removed(Suppression.normalize(address)))
                : notSuppressed(address);
        default -> notAllowed(path, "GET, HEAD, DELETE", method);
      };
    } catch (IllegalArgumentException e) {
      return new Reply.Refused(Problem.INVALID, e.getMessage(), null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Reply add(SuppressionList suppressions, Map<String, String> query)
      throws IOException {
    String address = query.get("address");
    if (address == null || address.isBlank()) {
      throw new IllegalArgumentException("address is required");
    }
    String reason = query.getOrDefault("reason", DEFAULT_REASON);
    boolean existed = suppressions.isSuppressed(address);
    Suppression s = suppressions.add(address, reason);
    return new Reply.Json(existed ? 200 : 201, SuppressionJson.entry(s));
  }

  private static Reply notSuppressed(String address) {
    return new Reply.Refused(Problem.NOT_FOUND, "not on the suppression list: " + address, null);
  }

  private static Reply notAllowed(String path, String allow, String method) {
    return new Reply.Refused(Problem.METHOD, path + " answers " + allow + ", not " + method, allow);
  }

  /** Percent-decoding of a path segment; a {@code +} stays a plus (common in local parts). */
  private static String decode(String raw) {
    return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
