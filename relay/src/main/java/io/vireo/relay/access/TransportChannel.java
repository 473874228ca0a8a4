package io.vireo.relay.access;

import io.vireo.mailbox.access.AccessChannel;
import io.vireo.relay.listen.Transport;
import io.vireo.relay.tls.TlsServerContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The listener's {@link Transport} as the mailbox module sees it: an {@link AccessChannel} whose
 * streams follow a TLS upgrade, with the client the PROXY header named and the drain flag.
 */
final class TransportChannel implements AccessChannel {
  private final Transport transport;
  private final InetAddress client;
  private final Optional<TlsServerContext> tls;
  private volatile boolean draining;

  TransportChannel(Transport transport, InetAddress client, Optional<TlsServerContext> tls) {
    this.transport = Objects.requireNonNull(transport, "transport");
    this.client = Objects.requireNonNull(client, "client");
    this.tls = Objects.requireNonNull(tls, "tls");
  }

  @Override
  public InputStream input() {
    return transport.input();
  }

  @Override
  public OutputStream output() {
    return transport.output();
  }

  @Override
  public InetAddress clientAddress() {
    return client;
  }

  @Override
  public boolean secure() {
    return transport.tls().isPresent();
  }

  @Override
  public boolean tlsAvailable() {
    return tls.isPresent();
  }

  /** The handshake runs within the read timeout set last (the session's idle timeout). */
  @Override
  public void startTls() throws IOException {
    if (tls.isEmpty()) {
      throw new IOException("no TLS certificate configured");
    }
    transport.upgrade(tls.get().layer(transport.tcp()));
  }

  @Override
  public void readTimeout(Duration timeout) throws IOException {
    transport.readTimeout(timeout);
  }

  @Override
  public boolean draining() {
    return draining;
  }

  /**
   * Marks the drain and ends a wait for the client's next command at once (its input is shut
   * down, so the read sees the end); a reply being written is not disturbed.
   */
  void drain() throws IOException {
    draining = true;
    transport.wakeReader();
  }
}
