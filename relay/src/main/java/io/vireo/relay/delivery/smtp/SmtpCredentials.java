package io.vireo.relay.delivery.smtp;

import java.util.Objects;

/**
 * The identity and secret the client presents with SMTP AUTH (RFC 4954). {@link #toString()} names
 * the user but never the password, so the record (and a {@link PoolKey} holding it) can be logged.
 *
 * @param username the authentication identity (RFC 4616 {@code authcid}); not empty
 * @param password the secret; not empty
 */
public record SmtpCredentials(String username, String password) {
  public SmtpCredentials {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
    // PLAIN separates its fields with NUL (RFC 4616 section 2); a line break could never be sent.
    if (username.isEmpty() || hasForbiddenCharacter(username)) {
      throw new IllegalArgumentException("username must be non-empty, without NUL, CR or LF");
    }
    if (password.isEmpty() || hasForbiddenCharacter(password)) {
      throw new IllegalArgumentException("password must be non-empty, without NUL, CR or LF");
    }
  }

  private static boolean hasForbiddenCharacter(String text) {
    return text.indexOf('\0') >= 0 || text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0;
  }

  @Override
  public String toString() {
    return "SmtpCredentials[username=" + username + ", password=<redacted>]";
  }
}
