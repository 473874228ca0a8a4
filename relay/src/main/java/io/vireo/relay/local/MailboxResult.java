package io.vireo.relay.local;

import java.util.List;
import java.util.Objects;

/** What delivering one recipient into local mailboxes came to: a closed set. */
public sealed interface MailboxResult {
  /** In every mailbox the recipient names. */
  record Stored(List<String> users) implements MailboxResult {
    public Stored {
      users = List.copyOf(users);
    }
  }

  /** The address names nobody here (any more: the users file or the aliases changed). */
  record NoSuchUser() implements MailboxResult {}

  /** {@code user}'s mailbox has no room for the message under {@code local.quota}: try later. */
  record OverQuota(String user, long usage, long quota) implements MailboxResult {
    public OverQuota {
      Objects.requireNonNull(user, "user");
    }
  }

  /** The store failed (disk full, permissions): try later. */
  record Failed(String user, String reason) implements MailboxResult {
    public Failed {
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(reason, "reason");
    }
  }
}
