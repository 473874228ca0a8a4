package io.vireo.relay.delivery.smtp;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * Which connections may be shared: the same server address, reached under the same name, TLS policy
 * and SMTP AUTH identity. A connection opened under {@link TlsPolicy#NONE} must never serve a route
 * that demands {@link TlsPolicy#VERIFY}; one authenticated as some user must never carry the mail
 * of another route, authenticated or not (the server would relay it under that user's account).
 *
 * @param address the server's IP address and port
 * @param serverName the MX host name, which {@link TlsPolicy#VERIFY} checks the certificate against
 * @param tls the route's STARTTLS policy
 * @param credentials what to authenticate with after EHLO (and STARTTLS), or null to send without
 *     AUTH
 */
public record PoolKey(
    InetSocketAddress address, String serverName, TlsPolicy tls, SmtpCredentials credentials) {
  public PoolKey {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(serverName, "serverName");
    Objects.requireNonNull(tls, "tls");
  }

  /** A key for connections that do not authenticate. */
  public PoolKey(InetSocketAddress address, String serverName, TlsPolicy tls) {
    this(address, serverName, tls, null);
  }
}
