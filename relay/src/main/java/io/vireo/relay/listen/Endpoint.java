package io.vireo.relay.listen;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One address a {@link Listener} binds.
 *
 * @param label names the protocol as it is spoken there ({@code smtp}, {@code smtps}, {@code pop3},
 *     {@code pop3s}...): the start of each session's thread name and of its log lines
 * @param address where to bind; port 0 picks an ephemeral port
 * @param implicitTls whether every connection starts with a TLS handshake (RFC 8314)
 */
public record Endpoint(String label, InetSocketAddress address, boolean implicitTls) {
  public Endpoint {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(address, "address");
  }
}
