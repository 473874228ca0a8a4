package io.vireo.config;

/**
 * How outbound delivery uses STARTTLS (RFC 3207): {@code delivery.tls} for MX delivery and a
 * route's {@code tls}.
 */
public enum TlsMode {
  /** Never send STARTTLS; mail travels in clear text. */
  NONE,
  /**
   * STARTTLS when the server offers it, without checking its certificate; clear text otherwise.
   * This is what most MTAs do on port 25 (RFC 7435 opportunistic security).
   */
  OPPORTUNISTIC,
  /** STARTTLS must succeed or the attempt fails temporarily; the certificate is not checked. */
  REQUIRED,
  /**
   * STARTTLS must succeed with a certificate that chains to a trusted root and names the host
   * connected to; otherwise the attempt fails temporarily.
   */
  VERIFY
}
