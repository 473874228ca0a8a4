package io.vireo.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * {@code mailbox}: where local mailboxes live.
 *
 * @param dir the root of the per-user Maildir folders ({@code <dir>/<user>/Maildir}); a relative
 *     path resolves against the configuration file's directory, like {@code spool.dir}
 */
public record MailboxConfig(Path dir) {
  public static final MailboxConfig DEFAULTS = new MailboxConfig(Path.of("data/mailboxes"));

  public MailboxConfig {
    Objects.requireNonNull(dir, "dir");
  }
}
