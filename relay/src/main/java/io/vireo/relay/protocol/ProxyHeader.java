package io.vireo.relay.protocol;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * What a PROXY protocol header (v1 or v2, <a
 * href="https://www.haproxy.org/download/2.6/doc/proxy-protocol.txt">HAProxy's specification</a>)
 * said about the connection it precedes.
 */
public sealed interface ProxyHeader {

  /** A relayed TCP connection: {@code source} is the real client, {@code destination} the LB. */
  record Relayed(InetSocketAddress source, InetSocketAddress destination) implements ProxyHeader {
    public Relayed {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(destination, "destination");
    }
  }

  /**
   * No client address to use: a v2 LOCAL command (the balancer's own health check), v1 {@code
   * UNKNOWN}, or a v2 address family other than IPv4 and IPv6. The spec says to use the
   * connection's own endpoints then.
   */
  record Unrelayed() implements ProxyHeader {}
}
