package io.vireo.relay.protocol;

import java.util.Objects;

/**
 * What {@link SmtpCommandParser} made of one command line: a command, or the reply that refuses it.
 */
public sealed interface ParseResult {

  record Command(SmtpCommand command) implements ParseResult {
    public Command {
      Objects.requireNonNull(command, "command");
    }
  }

  /**
   * The line was not a valid command.
   *
   * @param reply what to answer
   * @param fatal the stream can no longer be interpreted (a BDAT without a readable size is
   *     followed by an unknown number of octets), so the session must close after replying
   */
  record SyntaxError(SmtpReply reply, boolean fatal) implements ParseResult {
    public SyntaxError {
      Objects.requireNonNull(reply, "reply");
    }

    public static SyntaxError of(SmtpReply reply) {
      return new SyntaxError(reply, false);
    }
  }
}
