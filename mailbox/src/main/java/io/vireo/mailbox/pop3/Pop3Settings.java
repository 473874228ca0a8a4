package io.vireo.mailbox.pop3;

import java.time.Duration;
import java.util.Objects;

/**
 * What every POP3 session of one server shares.
 *
 * @param hostname the name in the greeting and the sign-off
 * @param idleTimeout the autologout timer: RFC 1939 section 3 asks for at least 10 minutes
 * @param requireTls USER, PASS and AUTH only inside TLS ({@code auth.require-tls}, as SMTP AUTH)
 * @param maxErrors protocol errors tolerated before the session is closed ({@code limits.max-errors})
 */
public record Pop3Settings(String hostname, Duration idleTimeout, boolean requireTls, int maxErrors) {
  /** RFC 1939 section 3: "at least 10 minutes". */
  public static final Duration MIN_AUTOLOGOUT = Duration.ofMinutes(10);

  public Pop3Settings {
    Objects.requireNonNull(hostname, "hostname");
    if (hostname.isBlank() || !hostname.chars().allMatch(c -> c > 32 && c < 127)) {
      throw new IllegalArgumentException("hostname must be printable ASCII: " + hostname);
    }
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idleTimeout must be positive: " + idleTimeout);
    }
    if (maxErrors < 0) {
      throw new IllegalArgumentException("maxErrors must not be negative: " + maxErrors);
    }
  }
}
