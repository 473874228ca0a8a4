package io.vireo.bench.load;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one load run needs to know, validated once.
 *
 * @param host server to connect to
 * @param port its SMTP port
 * @param connections concurrent client connections, one virtual thread each
 * @param messages messages in the measured phase
 * @param size bytes per message, headers included, before dot-stuffing
 * @param recipients recipients per message, {@code u1@toDomain} to {@code uR@toDomain}
 * @param reuseConnections send many messages per connection (true) or one connection per message
 * @param pipelining send MAIL, RCPT and DATA in one write when the server offers PIPELINING (RFC 2920)
 * @param starttls upgrade every connection with STARTTLS (RFC 3207, TLS 1.3) before the first message
 * @param warmup messages sent before measuring, not counted
 * @param replyTimeout bound on connecting and on every reply
 * @param mix optional share of messages of another size
 * @param from envelope sender and From header
 * @param toDomain domain of the recipients
 * @param helo name sent with EHLO
 * @param durationLimit deadline for the whole run, after which it stops by itself
 * @param threads which threads run the connections
 */
public record LoadOptions(
    String host,
    int port,
    int connections,
    long messages,
    long size,
    int recipients,
    boolean reuseConnections,
    boolean pipelining,
    boolean starttls,
    long warmup,
    Duration replyTimeout,
    Optional<SizeMix> mix,
    String from,
    String toDomain,
    String helo,
    Duration durationLimit,
    ThreadKind threads) {

  /** Largest message the generator renders (it holds each template in memory). */
  public static final long MAX_SIZE = 256L << 20;

  public LoadOptions {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(replyTimeout, "replyTimeout");
    Objects.requireNonNull(mix, "mix");
    Objects.requireNonNull(durationLimit, "durationLimit");
    Objects.requireNonNull(threads, "threads");
    requireRange("port", port, 1, 65_535);
    requireRange("connections", connections, 1, 10_000);
    requireRange("messages", messages, 1, Long.MAX_VALUE / 2);
    requireRange("size", size, 1, MAX_SIZE);
    requireRange("recipients", recipients, 1, 1_000);
    requireRange("warmup", warmup, 0, Long.MAX_VALUE / 2);
    mix.ifPresent(m -> requireRange("mix size", m.size(), 1, MAX_SIZE));
    requirePositive("replyTimeout", replyTimeout);
    requirePositive("durationLimit", durationLimit);
    requireAsciiToken("from", from);
    requireAsciiToken("toDomain", toDomain);
    requireAsciiToken("helo", helo);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Address {@code i} (1-based) of a message's recipients. */
  public String recipient(int i) {
    return "u" + i + "@" + toDomain;
  }

  private static void requireRange(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "]: " + value);
    }
  }

  private static void requirePositive(String name, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
  }

  // Bench addresses go into commands and headers verbatim; keep them to printable ASCII.
  private static void requireAsciiToken(String name, String value) {
    Objects.requireNonNull(value, name);
    if (value.isEmpty() || value.chars().anyMatch(c -> c <= ' ' || c >= 127 || c == '<' || c == '>')) {
      throw new IllegalArgumentException(name + " must be printable ASCII without <>: '" + value + "'");
    }
  }

  /** Builder with the same defaults as {@code bin/bench load}. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port = 2525;
    private int connections = 50;
    private long messages = 10_000;
    private long size = 4096;
    private int recipients = 1;
    private boolean reuseConnections = true;
    private boolean pipelining;
    private boolean starttls;
    private long warmup;
    private Duration replyTimeout = Duration.ofSeconds(30);
    private Optional<SizeMix> mix = Optional.empty();
    private String from = "bench@vireo-bench.test";
    private String toDomain = "example.test";
    private String helo = "client.vireo-bench.test";
    private Duration durationLimit = Duration.ofMinutes(10);
    private ThreadKind threads = ThreadKind.VIRTUAL;

    private Builder() {}

    public Builder host(String value) {
      host = value;
      return this;
    }

    public Builder port(int value) {
      port = value;
      return this;
    }

    public Builder connections(int value) {
      connections = value;
      return this;
    }

    public Builder messages(long value) {
      messages = value;
      return this;
    }

    public Builder size(long value) {
      size = value;
      return this;
    }

    public Builder recipients(int value) {
      recipients = value;
      return this;
    }

    public Builder reuseConnections(boolean value) {
      reuseConnections = value;
      return this;
    }

    public Builder pipelining(boolean value) {
      pipelining = value;
      return this;
    }

    public Builder starttls(boolean value) {
      starttls = value;
      return this;
    }

    public Builder warmup(long value) {
      warmup = value;
      return this;
    }

    public Builder replyTimeout(Duration value) {
      replyTimeout = value;
      return this;
    }

    public Builder mix(SizeMix value) {
      mix = Optional.ofNullable(value);
      return this;
    }

    public Builder from(String value) {
      from = value;
      return this;
    }

    public Builder toDomain(String value) {
      toDomain = value;
      return this;
    }

    public Builder helo(String value) {
      helo = value;
      return this;
    }

    public Builder durationLimit(Duration value) {
      durationLimit = value;
      return this;
    }

    public Builder threads(ThreadKind value) {
      threads = value;
      return this;
    }

    public LoadOptions build() {
      return new LoadOptions(
          host, port, connections, messages, size, recipients, reuseConnections, pipelining, starttls,
          warmup, replyTimeout, mix, from, toDomain, helo, durationLimit, threads);
    }
  }
}
