package io.vireo.relay.listen;

import java.util.Objects;
import javax.net.ssl.SSLSession;

/**
 * What a completed TLS handshake agreed on, as recorded in the {@code Received:} header and the
 * logs.
 *
 * @param protocol such as {@code TLSv1.3}
 * @param cipherSuite such as {@code TLS_AES_256_GCM_SHA384}
 */
public record TlsSession(String protocol, String cipherSuite) {
  public TlsSession {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(cipherSuite, "cipherSuite");
  }

  public static TlsSession of(SSLSession session) {
    return new TlsSession(session.getProtocol(), session.getCipherSuite());
  }

  @Override
  public String toString() {
    return protocol + " with cipher " + cipherSuite;
  }
}
