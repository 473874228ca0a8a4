package io.vireo.relay.delivery.smtp;

/**
 * Whether and how the SMTP client protects a connection with STARTTLS (RFC 3207), chosen per route.
 */
public enum TlsPolicy {
  /** Never send STARTTLS, even when offered. */
  NONE,
  /**
   * Use STARTTLS when the server offers it and accept any certificate (RFC 7435 opportunistic
   * security: encryption against passive observers without authentication). Continue in plain text
   * when it is not offered or the server refuses the command; if the handshake itself fails, open a
   * new plain-text connection, since an unverified channel is no worse than the plain one.
   */
  OPPORTUNISTIC,
  /** Like {@link #OPPORTUNISTIC} but a server that does not offer STARTTLS fails the connection. */
  REQUIRED,
  /**
   * STARTTLS is required and the certificate chain must verify against the trust store (the JDK
   * default, or the SSLContext the caller supplies) and match the server's host name.
   */
  VERIFY
}
