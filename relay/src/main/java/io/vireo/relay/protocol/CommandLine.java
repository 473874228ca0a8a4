package io.vireo.relay.protocol;

import java.util.Objects;

/**
 * One read from {@link SmtpInput#readCommandLine()}: a line, a malformed line, or the end of input.
 */
public sealed interface CommandLine {

  /** A well-formed line; {@code bytes} excludes the CRLF and is owned by the receiver. */
  record Line(byte[] bytes) implements CommandLine {
    public Line {
      Objects.requireNonNull(bytes, "bytes");
    }
  }

  /**
   * A line that was too long or did not end in CRLF. It has been read to its end, so the session
   * can answer {@code reply} and carry on with the next line.
   */
  record Malformed(SmtpReply reply) implements CommandLine {
    public Malformed {
      Objects.requireNonNull(reply, "reply");
    }
  }

  /** The client closed its side; a partial last line is dropped. */
  record EndOfInput() implements CommandLine {}
}
