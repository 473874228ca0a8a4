package io.vireo.relay.admin;

import io.vireo.relay.suppression.SuppressionList;
import io.vireo.relay.suppression.SuppressionRequests;
import java.util.Optional;

/**
 * The suppression endpoints of the admin API ({@link SuppressionRequests}, shared with the HTTP
 * send API), in the admin API's error codes: {@code not_enabled}, {@code not_found}, {@code
 * bad_request}, {@code method_not_allowed}.
 */
final class SuppressionApi {
  private final SuppressionRequests requests;

  SuppressionApi(Optional<SuppressionList> list) {
    this.requests = new SuppressionRequests(list);
  }

  static boolean handles(String path) {
    return SuppressionRequests.handles(path);
  }

  AdminServer.Response handle(String method, String path, String rawQuery) {
    return switch (requests.handle(method, path, rawQuery)) {
      case SuppressionRequests.Reply.Json(int status, byte[] body) ->
          AdminServer.Response.json(status, body);
      case SuppressionRequests.Reply.Refused(var problem, String message, String allow) ->
          switch (problem) {
            case NOT_ENABLED -> AdminServer.Response.error(404, "not_enabled", message);
            case NOT_FOUND -> AdminServer.Response.error(404, "not_found", message);
            case INVALID -> AdminServer.Response.error(400, "bad_request", message);
            case METHOD ->
                new AdminServer.Response(
                    405, "application/json", JsonBodies.error("method_not_allowed", message), "Allow", allow);
          };
    };
  }
}
