package io.vireo.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code api}: the HTTP send API served on {@code listen.http}.
 *
 * @param keysFile where {@code vireo apikey} keeps the API keys (their hashes only); required
 *     when {@code listen.http} is set, since every request must carry a key
 * @param rate each key's default submission rate (a key may carry its own)
 * @param maxBodySize the largest request body read; larger ones get 413 before they are read
 * @param dir where idempotency answers and submission labels (tags, metadata) are kept durably
 * @param idempotencyWindow how long an {@code Idempotency-Key} returns its first answer
 */
public record ApiConfig(
    Optional<Path> keysFile, Rate rate, long maxBodySize, Path dir, Duration idempotencyWindow) {
  /** The API's defaults, with no keys file (the API is then off). */
  public static final ApiConfig OFF =
      new ApiConfig(
          Optional.empty(), new Rate(100), 70L * 1024 * 1024, Path.of("data/api"), Duration.ofHours(24));

  public ApiConfig {
    Objects.requireNonNull(keysFile, "keysFile");
    Objects.requireNonNull(rate, "rate");
    if (maxBodySize < 1024) {
      throw new IllegalArgumentException("api.max-body-size must be at least 1KB");
    }
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(idempotencyWindow, "idempotencyWindow");
    if (idempotencyWindow.isNegative() || idempotencyWindow.isZero()) {
      throw new IllegalArgumentException("api.idempotency-window must be positive");
    }
  }
}
