package io.vireo.relay.server;

import io.vireo.relay.tls.TlsServerContext;
import java.util.Objects;
import java.util.Optional;

/**
 * What the listener can offer to secure a session: TLS (STARTTLS on the SMTP listeners, and the
 * implicit-TLS listeners) when a certificate is configured.
 *
 * @param tls the server side of TLS; empty when no certificate is configured
 */
public record ServerSecurity(Optional<TlsServerContext> tls) {
  /** Neither TLS nor authentication. */
  public static final ServerSecurity NONE = new ServerSecurity(Optional.empty());

  public ServerSecurity {
    Objects.requireNonNull(tls, "tls");
  }
}
