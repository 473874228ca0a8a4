package io.vireo.relay.delivery.smtp;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the SMTP client waits at each step of a session before it gives up on the connection.
 *
 * @param connect the TCP connect
 * @param greeting the server's 220 greeting
 * @param command the reply to EHLO, STARTTLS, MAIL, RCPT, RSET (and the TLS handshake)
 * @param dataInit the reply to DATA (normally 354)
 * @param dataBlock each write of message content
 * @param dataTermination the reply after the final {@code .}
 */
public record ClientTimeouts(
    Duration connect,
    Duration greeting,
    Duration command,
    Duration dataInit,
    Duration dataBlock,
    Duration dataTermination) {

  public ClientTimeouts {
    requirePositive(connect, "connect");
    requirePositive(greeting, "greeting");
    requirePositive(command, "command");
    requirePositive(dataInit, "dataInit");
    requirePositive(dataBlock, "dataBlock");
    requirePositive(dataTermination, "dataTermination");
  }

  /**
   * The minimums of RFC 5321 section 4.5.3.2: greeting 5 minutes, MAIL and RCPT 5 minutes, DATA
   * initiation 2 minutes, each data block 3 minutes, the final dot 10 minutes (a server may be
   * filtering the whole message before it answers). The RFC sets no connect timeout; 30 seconds
   * lets the caller move on to the next MX while the message is still fresh.
   */
  public static ClientTimeouts rfc5321() {
    return new ClientTimeouts(
        Duration.ofSeconds(30),
        Duration.ofMinutes(5),
        Duration.ofMinutes(5),
        Duration.ofMinutes(2),
        Duration.ofMinutes(3),
        Duration.ofMinutes(10));
  }

  /** The same timeout for every step; for tests and benchmarks against loopback servers. */
  public static ClientTimeouts uniform(Duration timeout) {
    return new ClientTimeouts(timeout, timeout, timeout, timeout, timeout, timeout);
  }

  private static void requirePositive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " timeout must be positive: " + value);
    }
  }
}
