package io.vireo.relay.delivery;

import io.vireo.config.HostPort;
import io.vireo.relay.delivery.smtp.PoolKey;
import io.vireo.relay.delivery.smtp.TlsPolicy;
import io.vireo.relay.dns.MxHost;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Where one delivery job may connect, in the order to try. */
sealed interface NextHops {

  /**
   * The servers to try, each address of each host, in order. Each {@link PoolKey} names the host
   * (for logs, SNI and certificate checks) and the TLS policy to apply.
   *
   * @throws UnknownHostException when a smarthost name does not resolve
   */
  List<PoolKey> candidates() throws UnknownHostException;

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
  }

  /**
   * A fixed next hop from {@code delivery.routes}. A host name is looked up with the system
   * resolver when the connection is made (an IP literal, the usual case, needs no lookup).
   */
  record Smarthost(HostPort via, TlsPolicy tls) implements NextHops {
    public Smarthost {
      Objects.requireNonNull(via, "via");
      Objects.requireNonNull(tls, "tls");
    }

    @Override
    public List<PoolKey> candidates() throws UnknownHostException {
      List<PoolKey> keys = new ArrayList<>();
      for (InetAddress address : InetAddress.getAllByName(via.host())) {
        keys.add(new PoolKey(new InetSocketAddress(address, via.port()), via.host(), tls));
      }
      return keys;
    }
  }
}
