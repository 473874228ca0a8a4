package io.vireo.relay.delivery.smtp;

import io.vireo.relay.protocol.SmtpReply;

/**
 * A failure of the SMTP conversation itself (connect, greeting, TLS, SMTP AUTH, a lost or timed-out
 * connection, a malformed reply) rather than a per-recipient answer. The caller treats it as
 * transient for every recipient not yet final, and may try the next MX; the connection that threw
 * it is no longer usable.
 *
 * <p>That includes credentials the server rejects ({@code 535 5.7.8}), although RFC 4954 section 6
 * makes 535 a permanent reply: it says the route's configuration is wrong, not the message, so the
 * mail waits (with the destination's backoff, which also keeps a wrong password from hammering the
 * account into a lockout) until the operator fixes it or the message expires. Bouncing everything
 * queued for a route over one typo would lose far more than it saves. Postfix decides the same by
 * default ({@code smtp_sasl_auth_soft_bounce = yes}). The server's reply stays available in {@link
 * #response()}.
 */
public final class SmtpClientException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient SmtpReply response;
  private final boolean beforeDataSent;

  public SmtpClientException(String message, SmtpReply response, boolean beforeDataSent) {
    this(message, response, beforeDataSent, null);
  }

  public SmtpClientException(
      String message, SmtpReply response, boolean beforeDataSent, Throwable cause) {
    super(message, cause);
    this.response = response;
    this.beforeDataSent = beforeDataSent;
  }

  /**
   * The server's reply that ended the session (a 421 greeting, say), or null when there was none.
   */
  public SmtpReply response() {
    return response;
  }

  /**
   * True when no message content had been written yet: the server cannot have accepted the message,
   * so an immediate retry on another connection cannot cause a duplicate.
   */
  public boolean beforeDataSent() {
    return beforeDataSent;
  }
}
