package io.vireo.relay.access;

import io.vireo.relay.listen.ConnectionLimiter.Limit;
import java.nio.charset.StandardCharsets;

/** The mail access protocols the relay's listener serves beside SMTP, with their own words. */
public enum AccessProtocol {
  POP3("pop3", "pop3s"),
  IMAP("imap", "imaps");

  private final String plainLabel;
  private final String tlsLabel;

  AccessProtocol(String plainLabel, String tlsLabel) {
    this.plainLabel = plainLabel;
    this.tlsLabel = tlsLabel;
  }

  /** {@code pop3}, {@code imap}: thread names and log lines. */
  String label(boolean implicitTls) {
    return implicitTls ? tlsLabel : plainLabel;
  }

  /**
   * What a client over a connection limit reads: POP3 {@code -ERR [SYS/TEMP]} (RFC 3206 section
   * 4), IMAP an untagged {@code BYE} greeting (RFC 9051 section 7.1.5) with {@code UNAVAILABLE}
   * (RFC 5530).
   */
  byte[] refusal(Limit limit) {
    String why =
        limit == Limit.MAX_CONNECTIONS
            ? "too many connections, try again later"
            : "too many connections from your address";
    String line =
        switch (this) {
          case POP3 -> "-ERR [SYS/TEMP] " + why + "\r\n";
          case IMAP -> "* BYE [UNAVAILABLE] " + why + "\r\n";
        };
    return line.getBytes(StandardCharsets.US_ASCII);
  }
}
