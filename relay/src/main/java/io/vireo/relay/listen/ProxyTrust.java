package io.vireo.relay.listen;

import io.vireo.config.Cidr;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Which peers put a PROXY protocol header before the protocol (or before the TLS handshake on an
 * implicit-TLS port), and how long to wait for it. Connections from these peers must start with a
 * valid header; connections from anywhere else speak the protocol at once, so no other peer can
 * claim another client's address.
 *
 * @param from the load balancers ({@code listen.proxy-from}); empty: the PROXY protocol is off
 * @param headerTimeout how long a trusted peer may take to send the whole header; a balancer sends
 *     it with the connection, so this is short
 */
public record ProxyTrust(List<Cidr> from, Duration headerTimeout) {
  /** A balancer writes the header at once; waiting longer only holds a socket for nothing. */
  public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(5);

  /** The PROXY protocol off. */
  public static final ProxyTrust OFF = new ProxyTrust(List.of(), DEFAULT_HEADER_TIMEOUT);

  public ProxyTrust {
    from = List.copyOf(from);
    Objects.requireNonNull(headerTimeout, "headerTimeout");
    if (headerTimeout.isNegative() || headerTimeout.isZero()) {
      throw new IllegalArgumentException("headerTimeout must be positive: " + headerTimeout);
    }
  }

  /** Whether a connection from {@code peer} must start with a PROXY protocol header. */
  public boolean trusts(InetAddress peer) {
    return from.stream().anyMatch(network -> network.contains(peer));
  }
}
