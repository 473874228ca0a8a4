package io.vireo.relay.server;

import io.vireo.relay.listen.TlsSession;
import io.vireo.relay.listen.Transport;
import io.vireo.relay.tls.TlsServerContext;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of one session's TLS handshake, after STARTTLS (RFC 3207) or first thing on an
 * implicit-TLS port (RFC 8314 section 3). It runs as a wait for the client that a shutdown may cut
 * short, within the command timeout; a failed handshake leaves no channel to reply on, so the
 * caller just closes.
 */
final class TlsHandshake {
  private static final Logger log = LoggerFactory.getLogger(TlsHandshake.class);

  private final TlsServerContext tls;
  private final Transport transport;
  private final StopSignal stop;
  private final String session;

  TlsHandshake(TlsServerContext tls, Transport transport, StopSignal stop, String session) {
    this.tls = tls;
    this.transport = transport;
    this.stop = stop;
    this.session = session;
  }

  /** A TLS socket over the session's connection, ready for {@link #run}. */
  SSLSocket prepare() throws IOException {
    return tls.layer(transport.tcp());
  }

  /**
   * Runs the handshake on {@code layer} and makes TLS the session's transport.
   *
   * @return whether TLS is now active; false after a failure, a timeout or a shutdown
   */
  boolean run(SSLSocket layer, Duration timeout) throws IOException {
    transport.readTimeout(timeout);
    try {
      TlsSession established = stop.whileWaitingForClient(() -> transport.upgrade(layer));
      if (established == null) {
        log.debug("{} TLS handshake cut short by shutdown", session);
        return false;
      }
      log.debug("{} TLS established: {}", session, established);
      return true;
    } catch (SocketTimeoutException e) {
      log.debug("{} TLS handshake timed out", session);
      return false;
    } catch (IOException e) {
      log.debug("{} TLS handshake failed: {}", session, e.toString());
      return false;
    }
  }
}
