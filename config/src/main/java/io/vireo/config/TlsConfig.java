package io.vireo.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code tls}: the certificate the SMTP listeners present, for STARTTLS (RFC 3207) and on {@code
 * listen.smtps} (RFC 8314). Both files are PEM; either both are given or neither, and without them
 * no TLS is offered.
 *
 * @param certFile the certificate chain, leaf first
 * @param keyFile the leaf's private key (RSA or EC; PKCS#8 or the traditional format, unencrypted)
 */
public record TlsConfig(Optional<Path> certFile, Optional<Path> keyFile) {
  public static final TlsConfig NONE = new TlsConfig(Optional.empty(), Optional.empty());

  public TlsConfig {
    Objects.requireNonNull(certFile, "certFile");
    Objects.requireNonNull(keyFile, "keyFile");
    if (certFile.isPresent() != keyFile.isPresent()) {
      throw new IllegalArgumentException("tls.cert-file and tls.key-file go together: set both");
    }
  }

  /** Whether a certificate is configured, so the listeners can offer TLS. */
  public boolean enabled() {
    return certFile.isPresent();
  }
}
