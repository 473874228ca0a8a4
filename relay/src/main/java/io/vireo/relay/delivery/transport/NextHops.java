package io.vireo.relay.delivery.transport;

import io.vireo.config.HostPort;
import io.vireo.relay.delivery.smtp.PoolKey;
import io.vireo.relay.delivery.smtp.SmtpCredentials;
import io.vireo.relay.delivery.smtp.TlsPolicy;
import io.vireo.relay.dns.MxHost;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Where one delivery job may connect, in the order to try. */
public sealed interface NextHops {

  /**
   * The servers to try, each address of each host, in order. Each {@link PoolKey} names the host
   * (for logs, SNI and certificate checks) and the TLS policy to apply.
   *
   * @throws UnknownHostException when a smarthost name does not resolve
   */
  List<PoolKey> candidates() throws UnknownHostException;

  /**
   * Whether a connection opened for {@code key} may carry this job's mail: the same TLS policy and
   * the same SMTP AUTH identity (none, for MX hosts). A worker checks this before it reuses the
   * connection it holds, so a session authenticated as one user never sends another route's mail.
   */
  boolean admits(PoolKey key);

  /**
   * A domain's mail exchangers as the resolver ordered them (RFC 5321 section 5.1: by preference,
   * equal preferences shuffled), each reached on {@code port} ({@code delivery.port}).
   */
  record MxHosts(List<MxHost> hosts, int port, TlsPolicy tls) implements NextHops {
    public MxHosts {
      hosts = List.copyOf(hosts);
      Objects.requireNonNull(tls, "tls");
    }

    @Override
    public List<PoolKey> candidates() {
      List<PoolKey> keys = new ArrayList<>();
      for (MxHost host : hosts) {
        for (InetAddress address : host.addresses()) {
          keys.add(new PoolKey(new InetSocketAddress(address, port), host.name(), tls));
        }
      }
      return keys;
    }

    @Override
    public boolean admits(PoolKey key) {
      return key.tls() == tls && key.credentials() == null;
    }
  }

  /**
   * A fixed next hop from {@code delivery.routes}. A host name is looked up with the system
   * resolver when the connection is made (an IP literal, the usual case, needs no lookup).
   *
   * @param credentials the route's SMTP AUTH credentials, or null to send without AUTH
   */
  record Smarthost(HostPort via, TlsPolicy tls, SmtpCredentials credentials) implements NextHops {
    public Smarthost {
      Objects.requireNonNull(via, "via");
      Objects.requireNonNull(tls, "tls");
    }

    /** A smarthost reached without AUTH. */
    public Smarthost(HostPort via, TlsPolicy tls) {
      this(via, tls, null);
    }

    @Override
    public List<PoolKey> candidates() throws UnknownHostException {
      List<PoolKey> keys = new ArrayList<>();
      for (InetAddress address : InetAddress.getAllByName(via.host())) {
        keys.add(
            new PoolKey(new InetSocketAddress(address, via.port()), via.host(), tls, credentials));
      }
      return keys;
    }

    @Override
    public boolean admits(PoolKey key) {
      return key.tls() == tls && Objects.equals(key.credentials(), credentials);
    }
  }
}
