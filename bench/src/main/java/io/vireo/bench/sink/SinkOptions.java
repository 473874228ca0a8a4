package io.vireo.bench.sink;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link SmtpSink} listens and what it advertises.
 *
 * @param listen address to bind; port 0 picks an ephemeral port (see {@link SmtpSink#port()})
 * @param hostname name used in the greeting and the EHLO reply
 * @param chunking whether to advertise CHUNKING (RFC 3030) and accept BDAT
 * @param maxMessageSize value advertised with SIZE (RFC 1870); a larger MAIL SIZE= is refused
 * @param maxRecipients recipients accepted per transaction before 452 (RFC 5321 section 4.5.3.1.8
 *     asks for at least 100)
 * @param maxConnections concurrent connections; further clients wait in the listen backlog
 * @param idleTimeout how long a session waits for the client before it hangs up
 * @param retainLastMessage keep a copy of the last message received (for tests that inspect it)
 */
public record SinkOptions(
    InetSocketAddress listen,
    String hostname,
    boolean chunking,
    long maxMessageSize,
    int maxRecipients,
    int maxConnections,
    Duration idleTimeout,
    boolean retainLastMessage) {

  public SinkOptions {
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(hostname, "hostname");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    if (hostname.isBlank() || hostname.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
      throw new IllegalArgumentException("hostname must be printable ASCII: '" + hostname + "'");
    }
    if (maxMessageSize < 1) {
      throw new IllegalArgumentException("maxMessageSize must be positive");
    }
    if (maxRecipients < 100) {
      throw new IllegalArgumentException("maxRecipients must be at least 100 (RFC 5321 4.5.3.1.8)");
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be positive");
    }
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idleTimeout must be positive");
    }
  }

  /** Defaults for a sink on {@code listen}: CHUNKING on, 100 MiB SIZE, 10,000 connections, 5 min idle. */
  public static SinkOptions listeningOn(InetSocketAddress listen) {
    return new SinkOptions(
        listen, "sink.vireo-bench.test", true, 100L << 20, 1000, 10_000, Duration.ofMinutes(5), false);
  }

  /** Defaults on 127.0.0.1 with an ephemeral port: what tests want. */
  public static SinkOptions loopbackEphemeral() {
    return listeningOn(new InetSocketAddress("127.0.0.1", 0));
  }

  public SinkOptions withHostname(String name) {
    return new SinkOptions(
        listen, name, chunking, maxMessageSize, maxRecipients, maxConnections, idleTimeout,
        retainLastMessage);
  }

  public SinkOptions withChunking(boolean enabled) {
    return new SinkOptions(
        listen, hostname, enabled, maxMessageSize, maxRecipients, maxConnections, idleTimeout,
        retainLastMessage);
  }

  public SinkOptions withMaxConnections(int max) {
    return new SinkOptions(
        listen, hostname, chunking, maxMessageSize, maxRecipients, max, idleTimeout,
        retainLastMessage);
  }

  public SinkOptions withIdleTimeout(Duration timeout) {
    return new SinkOptions(
        listen, hostname, chunking, maxMessageSize, maxRecipients, maxConnections, timeout,
        retainLastMessage);
  }

  public SinkOptions withRetainLastMessage(boolean retain) {
    return new SinkOptions(
        listen, hostname, chunking, maxMessageSize, maxRecipients, maxConnections, idleTimeout,
        retain);
  }
}
