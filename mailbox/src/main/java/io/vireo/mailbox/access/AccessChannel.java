package io.vireo.mailbox.access;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.time.Duration;

/**
 * The connection one POP3 or IMAP session talks over, as the relay's listener hands it out. The
 * streams stay the same objects across a TLS upgrade (STLS, STARTTLS) and always reach the current
 * layer, so a session never rebuilds its reader or writer.
 */
public interface AccessChannel {
  /** The client's bytes, from the current layer. */
  InputStream input();

  /** Bytes to the client, through the current layer. */
  OutputStream output();

  /** The client's address (the real client's, when a PROXY header named it). */
  InetAddress clientAddress();

  /** True once TLS is the current layer (implicit TLS, or after an upgrade). */
  boolean secure();

  /** True when this listener has a certificate, so STLS/STARTTLS may be offered before TLS. */
  boolean tlsAvailable();

  /**
   * Runs the server side of a TLS handshake and makes TLS the current layer. The caller must have
   * discarded any plaintext it buffered after the command that asked for it (RFC 2595 section 3.1,
   * CVE-2011-0411): bytes read from here on are TLS records.
   *
   * @throws IOException if the handshake fails; the connection is then unusable
   */
  void startTls() throws IOException;

  /** Sets the timeout of every following read. */
  void readTimeout(Duration timeout) throws IOException;

  /** True once the listener drains (SIGTERM): an idle session should say goodbye and end. */
  boolean draining();
}
