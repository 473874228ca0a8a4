package io.vireo.relay.server;

import io.vireo.relay.listen.ProxyTrust;
import io.vireo.config.HostPort;
import io.vireo.config.LimitsConfig;
import io.vireo.config.RelayConfig;
import io.vireo.config.VireoConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What the SMTP server needs to know: its name, where to listen, the client limits and the relay
 * rules.
 *
 * @param hostname the name in the greeting, the EHLO reply and Received headers
 * @param listen addresses to bind; port 0 picks an ephemeral port (see {@link
 *     SmtpServer#boundAddresses()})
 * @param listenImplicitTls addresses where every connection starts with a TLS handshake (RFC 8314
 *     submission over implicit TLS); may be empty
 * @param greetingDelay how long to wait, before the 220 greeting, for a client that talks first
 *     (RFC 5321 section 3.1: the client waits for the greeting); zero only checks for input already
 *     received
 * @param proxy the load balancers whose connections start with a PROXY protocol header
 */
public record ServerSettings(
    String hostname,
    List<InetSocketAddress> listen,
    List<InetSocketAddress> listenImplicitTls,
    LimitsConfig limits,
    RelayConfig relay,
    Duration greetingDelay,
    ProxyTrust proxy) {

  public ServerSettings {
    Objects.requireNonNull(hostname, "hostname");
    if (hostname.isBlank() || !hostname.chars().allMatch(c -> c > 32 && c < 127)) {
      throw new IllegalArgumentException(
          "hostname must be printable ASCII without spaces: " + hostname);
    }
    listen = List.copyOf(listen);
    if (listen.isEmpty()) {
      throw new IllegalArgumentException("at least one listen address is needed");
    }
    listenImplicitTls = List.copyOf(listenImplicitTls);
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(relay, "relay");
    Objects.requireNonNull(greetingDelay, "greetingDelay");
    requirePositive(limits.maxMessageSize(), "limits.maxMessageSize");
    requirePositive(limits.maxRecipients(), "limits.maxRecipients");
    requirePositive(limits.maxConnections(), "limits.maxConnections");
    requirePositive(limits.maxConnectionsPerIp(), "limits.maxConnectionsPerIp");
    requirePositive(limits.commandTimeout().toMillis(), "limits.commandTimeout");
    requirePositive(limits.dataTimeout().toMillis(), "limits.dataTimeout");
    if (limits.maxErrors() < 0) {
      throw new IllegalArgumentException("limits.maxErrors must not be negative");
    }
    if (greetingDelay.isNegative()) {
      throw new IllegalArgumentException("greetingDelay must not be negative");
    }
    Objects.requireNonNull(proxy, "proxy");
  }

  /** Settings without the PROXY protocol. */
  public ServerSettings(
      String hostname,
      List<InetSocketAddress> listen,
      List<InetSocketAddress> listenImplicitTls,
      LimitsConfig limits,
      RelayConfig relay,
      Duration greetingDelay) {
    this(hostname, listen, listenImplicitTls, limits, relay, greetingDelay, ProxyTrust.OFF);
  }

  /** Settings with no pre-greeting wait. */
  public ServerSettings(
      String hostname, List<InetSocketAddress> listen, LimitsConfig limits, RelayConfig relay) {
    this(hostname, listen, List.of(), limits, relay, Duration.ZERO);
  }

  /** Settings without implicit-TLS listeners. */
  public ServerSettings(
      String hostname,
      List<InetSocketAddress> listen,
      LimitsConfig limits,
      RelayConfig relay,
      Duration greetingDelay) {
    this(hostname, listen, List.of(), limits, relay, greetingDelay);
  }

  /**
   * The server part of the relay configuration; host names in {@code listen.smtp} are resolved
   * here.
   */
  public static ServerSettings from(VireoConfig config) {
    List<InetSocketAddress> addresses =
        config.listen().smtp().stream().map(HostPort::toSocketAddress).toList();
    List<InetSocketAddress> implicitTls =
        config.listen().smtps().stream().map(HostPort::toSocketAddress).toList();
    return new ServerSettings(
        config.hostname(),
        addresses,
        implicitTls,
        config.limits(),
        config.relay(),
        Duration.ZERO,
        new ProxyTrust(config.listen().proxyFrom(), ProxyTrust.DEFAULT_HEADER_TIMEOUT));
  }

  private static void requirePositive(long value, String name) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
  }
}
