package io.vireo.relay.delivery.smtp;

/**
 * A failure of the SMTP conversation itself (connect, greeting, TLS, a lost or timed-out
 * connection, a malformed reply) rather than a per-recipient answer. The caller treats it as
 * transient for every recipient not yet final, and may try the next MX; the connection that threw
 * it is no longer usable.
 */
public final class SmtpClientException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient SmtpResponse response;
  private final boolean beforeDataSent;

  public SmtpClientException(String message, SmtpResponse response, boolean beforeDataSent) {
    this(message, response, beforeDataSent, null);
  }

  public SmtpClientException(
      String message, SmtpResponse response, boolean beforeDataSent, Throwable cause) {
    super(message, cause);
    this.response = response;
    this.beforeDataSent = beforeDataSent;
  }

  /**
   * The server's reply that ended the session (a 421 greeting, say), or null when there was none.
   */
  public SmtpResponse response() {
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
