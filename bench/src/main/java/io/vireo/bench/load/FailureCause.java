package io.vireo.bench.load;

/** Why one message was not accepted: a reply refusing it, or the connection failing under it. */
sealed interface FailureCause permits FailureCause.Refused, FailureCause.TransportFailure {

  /** The label counted in the report: a reply code such as {@code 451}, or a transport failure name. */
  String key();

  /** The server refused the message (or its only recipients) with this reply code. */
  record Refused(int code) implements FailureCause {
    @Override
    public String key() {
      return Integer.toString(code);
    }
  }

  /** The connection, not the server's judgement, lost the message. */
  enum TransportFailure implements FailureCause {
    /** No connection could be made (refused, unreachable, connect timeout). */
    CONNECT("connect"),
    /** A reply did not arrive within the reply timeout. */
    TIMEOUT("timeout"),
    /** The connection broke (reset, closed by the server). */
    CONNECTION_LOST("io"),
    /** The server sent something that is not an SMTP reply. */
    PROTOCOL("protocol"),
    /** STARTTLS was asked for but not offered, or the TLS handshake failed. */
    TLS("tls"),
    /** The run's deadline interrupted the message. */
    ABORTED("aborted");

    private final String key;

    TransportFailure(String key) {
      this.key = key;
    }

    @Override
    public String key() {
      return key;
    }
  }
}
