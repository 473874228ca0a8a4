package io.vireo.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * {@code mailbox}: where local mailboxes live and how their readers are timed.
 *
 * @param dir the directory with one Maildir per user ({@code <dir>/<user>/Maildir}); a relative
 *     path resolves against the config file's directory, as {@code spool.dir} does
 * @param pop3Autologout how long a POP3 client may stay silent before it is logged out; RFC 1939
 *     section 3 asks for at least 10 minutes
 */
public record MailboxConfig(Path dir, Duration pop3Autologout) {
  /** RFC 1939 section 3: the autologout timer "MUST be of at least 10 minutes' duration". */
  public static final Duration MIN_POP3_AUTOLOGOUT = Duration.ofMinutes(10);

  public static final MailboxConfig DEFAULTS =
      new MailboxConfig(Path.of("data/mailboxes"), MIN_POP3_AUTOLOGOUT);

  public MailboxConfig {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(pop3Autologout, "pop3Autologout");
    if (pop3Autologout.compareTo(MIN_POP3_AUTOLOGOUT) < 0) {
      throw new IllegalArgumentException(
          "pop3-autologout must be at least 10m (RFC 1939 section 3): " + pop3Autologout);
    }
  }
}
