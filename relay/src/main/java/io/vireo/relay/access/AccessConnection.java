package io.vireo.relay.access;

import io.vireo.mailbox.access.AccessSession;
import io.vireo.relay.listen.Connection;
import io.vireo.relay.listen.ListenerSession;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One POP3 or IMAP connection as the listener runs it: the implicit-TLS handshake first where the
 * endpoint asks for it (RFC 8314 section 3), then the mailbox module's {@link AccessSession} to its
 * end, then the close. A drain marks the channel and wakes a wait for the next command; the
 * session then says goodbye in its protocol's words.
 */
final class AccessConnection implements ListenerSession {
  private static final Logger log = LoggerFactory.getLogger(AccessConnection.class);

  private final Connection connection;
  private final TransportChannel channel;
  private final AccessSession session;
  private final Duration handshakeTimeout;
  private volatile Thread thread;

  AccessConnection(
      Connection connection,
      TransportChannel channel,
      AccessSession session,
      Duration handshakeTimeout) {
    this.connection = connection;
    this.channel = channel;
    this.session = session;
    this.handshakeTimeout = handshakeTimeout;
  }

  @Override
  public void run() {
    thread = Thread.currentThread();
    String name = connection.name();
    try {
      connection.transport().noDelay();
      if (connection.implicitTls()) {
        channel.readTimeout(handshakeTimeout);
        channel.startTls();
      }
      session.serve(channel);
    } catch (SocketTimeoutException e) {
      log.debug("{} timed out", name);
    } catch (IOException e) {
      log.debug("{} connection lost: {}", name, e.toString());
    } catch (InterruptedException e) {
      log.debug("{} interrupted", name);
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("{} failed", name, e);
    } finally {
      try {
        connection.transport().close();
      } catch (IOException e) {
        log.trace("{} closing: {}", name, e.toString());
      }
    }
  }

  @Override
  public void requestStop() {
    try {
      channel.drain();
    } catch (IOException e) {
      log.trace("{} input already closed: {}", connection.name(), e.toString());
    }
  }

  @Override
  public void abort() {
    try {
      connection.transport().abort();
    } catch (IOException e) {
      log.trace("{} close failed: {}", connection.name(), e.toString());
    }
    Thread running = thread;
    if (running != null) {
      running.interrupt();
    }
  }
}
