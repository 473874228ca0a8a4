package io.vireo.relay.delivery.smtp;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Which connections may be shared: the same server address, reached under the same name and TLS
 * policy (a connection opened under {@link TlsPolicy#NONE} must never serve a route that demands
 * {@link TlsPolicy#VERIFY}).
 *
 * @param address the server's IP address and port
 * @param serverName the MX host name, which {@link TlsPolicy#VERIFY} checks the certificate against
 * @param tls the route's STARTTLS policy
 */
public record PoolKey(InetSocketAddress address, String serverName, TlsPolicy tls) {
  public PoolKey {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(serverName, "serverName");
    Objects.requireNonNull(tls, "tls");
  }
}
