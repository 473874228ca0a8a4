package io.vireo.mailbox.pop3;

import java.util.OptionalInt;

/**
 * One POP3 command as the client sent it, parsed once by {@link Pop3Parser}; the session's
 * handlers never see the raw line. Message numbers are as given (1-based, RFC 1939 section 5),
 * not yet checked against the maildrop.
 */
public sealed interface Pop3Command {
  /** USER name (RFC 1939 section 7). */
  record User(String name) implements Pop3Command {}

  /**
   * PASS password (RFC 1939 section 7): everything after the one space, spaces included, as the
   * RFC allows. The session clears the array after the check.
   */
  record Pass(byte[] password) implements Pop3Command {}

  /** AUTH mechanism [initial-response] (RFC 5034 section 4); {@code "="} is an empty response. */
  record Auth(String mechanism, java.util.Optional<String> initialResponse)
      implements Pop3Command {}

  /** AUTH without a mechanism: the mechanisms on offer, as many clients still ask (RFC 1734). */
  record AuthMechanisms() implements Pop3Command {}

  record Stat() implements Pop3Command {}

  /** LIST [msg]. */
  record ListMessages(OptionalInt message) implements Pop3Command {}

  record Retr(int message) implements Pop3Command {}

  record Dele(int message) implements Pop3Command {}

  record Noop() implements Pop3Command {}

  record Rset() implements Pop3Command {}

  record Quit() implements Pop3Command {}

  /** UIDL [msg]. */
  record Uidl(OptionalInt message) implements Pop3Command {}

  /** TOP msg n: the headers and the first {@code lines} lines of the body. */
  record Top(int message, int lines) implements Pop3Command {}

  /** CAPA (RFC 2449 section 5). */
  record Capa() implements Pop3Command {}

  /** STLS (RFC 2595 section 4). */
  record Stls() implements Pop3Command {}

  /** A keyword this server does not know (APOP included: it would need plaintext passwords). */
  record Unknown(String keyword) implements Pop3Command {}
}
