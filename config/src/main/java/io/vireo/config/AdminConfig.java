package io.vireo.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code admin}: how the admin HTTP server on {@code listen.admin} is protected.
 *
 * @param tokenFile a file holding the bearer token every admin request must carry, or null for
 *     none. Required when {@code listen.admin} is not a loopback address; when given, it is
 *     enforced on loopback too.
 */
public record AdminConfig(Path tokenFile) {
  /** No token: only allowed with a loopback admin address. */
  public static final AdminConfig NO_TOKEN = new AdminConfig(null);

  public Optional<Path> token() {
    return Optional.ofNullable(tokenFile);
  }
}
