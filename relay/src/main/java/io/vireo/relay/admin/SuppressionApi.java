package io.vireo.relay.admin;

import io.vireo.relay.suppression.Suppression;
import io.vireo.relay.suppression.SuppressionJson;
import io.vireo.relay.suppression.SuppressionList;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The suppression endpoints of the admin API: {@code GET /v1/suppressions} (every entry in force),
 * {@code GET /v1/suppressions/ADDRESS}, {@code POST /v1/suppressions?address=A&reason=R} and
 * {@code DELETE /v1/suppressions/ADDRESS}. 404 {@code not_enabled} while {@code
 * suppression.enabled} is false.
 */
final class SuppressionApi {
  static final String PATH = "/v1/suppressions";

  private final Optional<SuppressionList> list;

  SuppressionApi(Optional<SuppressionList> list) {
    this.list = list;
  }

  static boolean handles(String path) {
    return path.equals(PATH) || path.startsWith(PATH + "/");
  }

  AdminServer.Response handle(String method, String path, String rawQuery) {
    if (list.isEmpty()) {
      return AdminServer.Response.error(
          404, "not_enabled", "the suppression list is off (suppression.enabled: false)");
    }
    SuppressionList suppressions = list.get();
    try {
      if (path.equals(PATH)) {
        return switch (method) {
          case "GET", "HEAD" ->
              AdminServer.Response.json(200, SuppressionJson.list(suppressions.list()));
          case "POST" -> add(suppressions, QueueApi.query(rawQuery));
          default -> QueueApi.notAllowed(path, "GET, HEAD, POST", method);
        };
      }
      String address = decode(path.substring(PATH.length() + 1));
      return switch (method) {
        case "GET", "HEAD" ->
            suppressions
                .find(address)
                .map(s -> AdminServer.Response.json(200, SuppressionJson.entry(s)))
                .orElseGet(() -> notSuppressed(address));
        case "DELETE" ->
            suppressions.remove(address)
                ? AdminServer.Response.json(
                    200,
                    JsonBodies.write(
                        json -> {
                          json.writeStringField("address", Suppression.normalize(address));
                          json.writeBooleanField("removed", true);
                        }))
                : notSuppressed(address);
        default -> QueueApi.notAllowed(path, "GET, HEAD, DELETE", method);
      };
    } catch (IllegalArgumentException e) {
      return AdminServer.Response.error(400, "bad_request", e.getMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static AdminServer.Response add(SuppressionList suppressions, Map<String, String> query)
      throws IOException {
    String address = query.get("address");
    if (address == null || address.isBlank()) {
      throw new IllegalArgumentException("address is required");
    }
    String reason = query.getOrDefault("reason", "added by an operator");
    boolean existed = suppressions.isSuppressed(address);
    Suppression s = suppressions.add(address, reason);
    return AdminServer.Response.json(existed ? 200 : 201, SuppressionJson.entry(s));
  }

  private static AdminServer.Response notSuppressed(String address) {
    return AdminServer.Response.error(404, "not_found", "not on the suppression list: " + address);
  }

  /** Percent-decoding of a path segment; a {@code +} stays a plus (common in local parts). */
  private static String decode(String raw) {
    return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
  }
}
