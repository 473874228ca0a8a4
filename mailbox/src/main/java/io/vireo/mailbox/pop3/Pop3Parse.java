package io.vireo.mailbox.pop3;

/** What {@link Pop3Parser} made of a line: a command, or why there is none. */
public sealed interface Pop3Parse {
  record Parsed(Pop3Command command) implements Pop3Parse {}

  /** A known keyword with bad arguments, or a line that is no command; {@code reason} is for -ERR. */
  record Invalid(String reason) implements Pop3Parse {}
}
