package io.vireo.relay.api;

import java.util.Objects;

/** An API answer: status and JSON body. */
record Answer(int status, byte[] body) {
  Answer {
    Objects.requireNonNull(body, "body");
  }

  static Answer of(ApiError error) {
    return new Answer(error.status(), JsonText.error(error));
  }

  /** Worth remembering for an Idempotency-Key: not a temporary failure the client should retry. */
  boolean isFinal() {
    return status < 500 && status != 429 && status != 401;
  }
}
