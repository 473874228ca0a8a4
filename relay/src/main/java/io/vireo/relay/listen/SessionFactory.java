package io.vireo.relay.listen;

import io.vireo.relay.listen.ConnectionLimiter.Limit;
import java.io.IOException;
import java.time.Duration;

/** What a {@link Listener} serves: the protocol that opens a session on each admitted connection. */
public interface SessionFactory {
  /**
   * Sets up the session of an admitted connection, on the accept path (so it must not block); the
   * listener then runs it on a virtual thread of its own.
   *
   * @throws IOException if the connection is unusable already; the listener closes it
   */
  ListenerSession open(Connection connection) throws IOException;

  /**
   * What a client over a connection limit reads before the listener closes its connection, in the
   * protocol's own words (SMTP {@code 421}, POP3 {@code -ERR [SYS/TEMP]}, IMAP {@code * BYE}). Only
   * plaintext endpoints send it: a client expecting a TLS handshake could not read it.
   */
  byte[] refusal(Limit limit);

  /** How long a write may stay blocked before the watchdog takes the client for gone. */
  Duration writeStallLimit();
}
