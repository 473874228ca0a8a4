package io.vireo.mailbox.imap;

/** A command that does not parse: the session answers BAD with this message. */
final class ImapParseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  ImapParseException(String message) {
    super(message, null, false, false);
  }
}
