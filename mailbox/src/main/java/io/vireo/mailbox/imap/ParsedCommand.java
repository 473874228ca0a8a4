package io.vireo.mailbox.imap;

/** What the parser made of one command line: a command with its tag, or why it is BAD. */
public sealed interface ParsedCommand {
  record Ok(String tag, ImapCommand command) implements ParsedCommand {}

  /** @param tag the tag when one could be read, else "*" (RFC 9051 section 7.1.5: untagged BAD) */
  record Bad(String tag, String reason) implements ParsedCommand {}

  /** SEARCH with a charset we do not search in: NO [BADCHARSET (UTF-8 US-ASCII)]. */
  record BadCharset(String tag, String reason) implements ParsedCommand {}
}
