package io.vireo.relay.api;

import java.util.Objects;

/**
 * One API error: the HTTP status and the {@code {"error":{"code":...,"message":...}}} body. Thrown
 * inside {@link ApiException} and turned into an answer in one place, {@link ApiServer}.
 */
public record ApiError(int status, String code, String message) {
  public ApiError {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }

  static ApiError invalid(String message) {
    return new ApiError(400, "invalid_request", message);
  }

  static ApiError unauthorized() {
    return new ApiError(401, "unauthorized", "send a valid API key as Authorization: Bearer KEY");
  }

  static ApiError senderNotAllowed(String domain) {
    return new ApiError(403, "sender_not_allowed", "this key may not send from " + domain);
  }

  static ApiError keyNotAllowed() {
    return new ApiError(
        403,
        "key_not_allowed",
        "this key is limited to sender domains; the suppression list needs a key without --sender");
  }

  static ApiError notFound(String what) {
    return new ApiError(404, "not_found", what);
  }

  static ApiError tooLarge(String message) {
    return new ApiError(413, "too_large", message);
  }

  static ApiError suppressed(String recipient) {
    return new ApiError(422, "recipient_suppressed", recipient + " is on the suppression list");
  }

  static ApiError rateLimited() {
    return new ApiError(429, "rate_limited", "this key's rate limit is reached; retry later");
  }

  static ApiError unavailable(String message) {
    return new ApiError(503, "unavailable", message);
  }
}
