package io.vireo.mailbox.store;

import java.io.IOException;

/** A folder operation the store refuses, with a reason each protocol maps to its own reply. */
public final class MailboxException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Why: IMAP maps these to the response codes of RFC 9051 section 7.1. */
  public enum Reason {
    /** No such folder (or user). */
    NONEXISTENT,
    /** The target folder exists already. */
    ALREADY_EXISTS,
    /** The name cannot be a folder (a slash, an empty level, a control character...). */
    INVALID_NAME,
    /** Not allowed on this folder (delete INBOX, for one). */
    CANNOT,
    /** A special use the store cannot give a folder (RFC 6154's \All and \Flagged). */
    UNSUPPORTED_USE
  }

  private final Reason reason;

  public MailboxException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
