package io.vireo.relay.api;

import java.util.Objects;

/** A request the API refuses; carries the answer. No stack trace: it is an answer, not a bug. */
final class ApiException extends RuntimeException {
  private final ApiError error;

  ApiException(ApiError error) {
    super(error.message(), null, false, false);
    this.error = Objects.requireNonNull(error, "error");
  }

  ApiError error() {
    return error;
  }
}
