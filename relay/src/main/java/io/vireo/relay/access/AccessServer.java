package io.vireo.relay.access;

import io.vireo.mailbox.access.AccessSession;
import io.vireo.relay.listen.Connection;
import io.vireo.relay.listen.ConnectionLimiter.Limit;
import io.vireo.relay.listen.ConnectionStats;
import io.vireo.relay.listen.Endpoint;
import io.vireo.relay.listen.Listener;
import io.vireo.relay.listen.ListenerSession;
import io.vireo.relay.listen.ProxyTrust;
import io.vireo.relay.listen.SessionFactory;
import io.vireo.relay.tls.TlsServerContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A POP3 or IMAP server on the relay's generic {@link Listener}: the same permits, per-address
 * limits, PROXY protocol, implicit TLS, write watchdog and drain as SMTP, with the mailbox module's
 * {@link AccessSession} serving each connection.
 */
public final class AccessServer implements SessionFactory, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AccessServer.class);

  /**
   * What one access server is given.
   *
   * @param plain addresses of the protocol with STLS/STARTTLS ({@code listen.pop3}, {@code
   *     listen.imap})
   * @param implicitTls addresses where TLS comes first ({@code listen.pop3s}, {@code listen.imaps})
   * @param tls the certificate in force, asked for at each connection (so one a reload swaps in
   *     serves the next connection); required for implicit TLS, offers STLS/STARTTLS when present
   * @param timeout the implicit-TLS handshake's limit and the write watchdog's ({@code
   *     limits.command-timeout} in force, asked for at each connection, so a reload reaches it)
   */
  public record Settings(
      AccessProtocol protocol,
      List<InetSocketAddress> plain,
      List<InetSocketAddress> implicitTls,
      Supplier<Optional<TlsServerContext>> tls,
      Supplier<ProxyTrust> proxy,
      int maxConnections,
      int maxConnectionsPerIp,
      Supplier<Duration> timeout) {
    public Settings {
      Objects.requireNonNull(protocol, "protocol");
      plain = List.copyOf(plain);
      implicitTls = List.copyOf(implicitTls);
      Objects.requireNonNull(tls, "tls");
      Objects.requireNonNull(proxy, "proxy");
      Objects.requireNonNull(timeout, "timeout");
      if (!implicitTls.isEmpty() && tls.get().isEmpty()) {
        throw new IllegalArgumentException(protocol + " implicit-TLS listeners need a TLS context");
      }
    }
  }

  private final Settings settings;
  private final AccessSession sessions;
  private final Listener listener;

  public AccessServer(Settings settings, AccessSession sessions) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.sessions = Objects.requireNonNull(sessions, "sessions");
    List<Endpoint> endpoints = new ArrayList<>();
    AccessProtocol protocol = settings.protocol();
    settings.plain().forEach(a -> endpoints.add(new Endpoint(protocol.label(false), a, false)));
    settings.implicitTls().forEach(a -> endpoints.add(new Endpoint(protocol.label(true), a, true)));
    this.listener =
        new Listener(
            protocol.name(),
            endpoints,
            this,
            settings.proxy(),
            settings.maxConnections(),
            settings.maxConnectionsPerIp());
  }

  public void start() throws IOException {
    listener.start();
    log.info(
        "{} listening on {} (implicit TLS on {})",
        settings.protocol(),
        boundAddresses(),
        boundImplicitTlsAddresses());
  }

  public AccessProtocol protocol() {
    return settings.protocol();
  }

  public List<InetSocketAddress> boundAddresses() {
    return listener.boundAddresses(false);
  }

  public List<InetSocketAddress> boundImplicitTlsAddresses() {
    return listener.boundAddresses(true);
  }

  public ConnectionStats stats() {
    return listener.stats();
  }

  /** New connection limits for the admissions from now on (a reload). */
  public void setLimits(int maxConnections, int maxConnectionsPerIp) {
    listener.setLimits(maxConnections, maxConnectionsPerIp);
  }

  /** Drains: idle sessions are told at once, busy ones get {@code grace}. */
  public void close(Duration grace) {
    listener.close(grace);
    log.info("{} server stopped", settings.protocol());
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(30));
  }

  @Override
  public ListenerSession open(Connection connection) {
    TransportChannel channel =
        new TransportChannel(connection.transport(), connection.client(), settings.tls().get());
    return new AccessConnection(connection, channel, sessions, settings.timeout().get());
  }

  @Override
  public byte[] refusal(Limit limit) {
    return settings.protocol().refusal(limit);
  }

  @Override
  public Duration writeStallLimit() {
    return settings.timeout().get();
  }
}
