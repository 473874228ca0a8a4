package io.vireo.config;

import java.util.Objects;

/**
 * SMTP AUTH credentials a route presents to its next hop (a smarthost or a provider's submission
 * server). {@link #toString()} leaves the password out so the record can be logged.
 *
 * @param username the authentication identity; not empty
 * @param password the secret; not empty
 */
public record RouteAuth(String username, String password) {
  public RouteAuth {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    // AUTH PLAIN separates its fields with NUL (RFC 4616 section 2), so neither may contain one.
    if (username.isEmpty() || username.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("auth username must be non-empty and contain no NUL");
    }
    if (password.isEmpty() || password.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("auth password must be non-empty and contain no NUL");
    }
  }

  @Override
  public String toString() {
    return "RouteAuth[username=" + username + ", password=<redacted>]";
  }
}
