package io.vireo.relay.server;

import io.vireo.relay.tls.TlsServerContext;
import java.util.Objects;
import java.util.Optional;

/**
 * What the listener can offer to secure a session: TLS (STARTTLS on the SMTP listeners, and the
 * implicit-TLS listeners) when a certificate is configured, and SMTP AUTH when users are.
 *
 * @param tls the server side of TLS; empty when no certificate is configured
 * @param auth SMTP AUTH; empty when no users file is configured
 */
public record ServerSecurity(Optional<TlsServerContext> tls, Optional<ServerAuth> auth) {
  /** Neither TLS nor authentication. */
  public static final ServerSecurity NONE = new ServerSecurity(Optional.empty(), Optional.empty());

  public ServerSecurity {
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(auth, "auth");
  }

  /** TLS only, no AUTH. */
  public ServerSecurity(Optional<TlsServerContext> tls) {
    this(tls, Optional.empty());
  }
}
