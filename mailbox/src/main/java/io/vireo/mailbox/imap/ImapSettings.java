package io.vireo.mailbox.imap;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * What an IMAP session is allowed and how long it waits.
 *
 * @param hostname the name in the greeting
 * @param requireTls {@code auth.require-tls}: no LOGIN or AUTHENTICATE before TLS when TLS is
 *     available (LOGINDISABLED, RFC 9051 section 6.2.3)
 * @param maxLine longest command line, literals not counted (RFC 7162 section 4 asks for 8192 at
 *     least)
 * @param maxLiteral largest literal, so largest APPEND; held in memory while the command is read
 * @param idleTimeout autologout of an authenticated session (RFC 9051 section 5.4: at least 30 min)
 * @param loginTimeout how long a session may stay unauthenticated between commands
 * @param maxErrors BAD commands before the session is ended
 */
public record ImapSettings(
    String hostname,
    boolean requireTls,
    int maxLine,
    long maxLiteral,
    Duration idleTimeout,
    Duration loginTimeout,
    int maxErrors,
    Clock clock) {
  public ImapSettings {
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(clock, "clock");
    if (maxLine < 1024) {
      throw new IllegalArgumentException("maxLine must be at least 1024: " + maxLine);
    }
    if (maxLiteral < 1) {
      throw new IllegalArgumentException("maxLiteral must be positive: " + maxLiteral);
    }
    if (idleTimeout.compareTo(Duration.ofMinutes(30)) < 0) {
      throw new IllegalArgumentException("idleTimeout must be at least 30 minutes (RFC 9051 section 5.4)");
    }
    if (loginTimeout.isNegative() || loginTimeout.isZero()) {
      throw new IllegalArgumentException("loginTimeout must be positive");
    }
    if (maxErrors < 1) {
      throw new IllegalArgumentException("maxErrors must be positive");
    }
  }

  /** Defaults: TLS required for logins, 64 KiB lines, 50 MB literals, 30 min autologout. */
  public static ImapSettings defaults(String hostname, Clock clock) {
    return new ImapSettings(
        hostname, true, 65536, 50L * 1024 * 1024, Duration.ofMinutes(30), Duration.ofMinutes(1), 10, clock);
  }
}
