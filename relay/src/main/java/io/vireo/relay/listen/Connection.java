package io.vireo.relay.listen;

import java.net.InetAddress;
import java.util.Objects;

/**
 * An admitted connection, as the listener hands it to a {@link SessionFactory}.
 *
 * @param transport the connection; the session owns it from now on and closes it when it ends
 * @param client the client: the socket's peer, or the one a trusted load balancer's PROXY protocol
 *     header named
 * @param name the session's name, also its thread's: label, client address and a sequence number
 * @param implicitTls whether the connection starts with a TLS handshake (RFC 8314) before the
 *     protocol's greeting
 */
public record Connection(Transport transport, InetAddress client, String name, boolean implicitTls) {
  public Connection {
    Objects.requireNonNull(transport, "transport");
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(name, "name");
  }
}
