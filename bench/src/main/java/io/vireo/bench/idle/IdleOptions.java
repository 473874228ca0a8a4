package io.vireo.bench.idle;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What {@link IdleFleet} opens: {@code connections} SMTP sessions to {@code host:port}, paced by
 * {@code rampRate}, each bound to the next of {@code sourceAddresses} in turn (none: the kernel
 * picks), with {@code timeout} bounding the connect and each reply.
 */
public record IdleOptions(
    String host,
    int port,
    int connections,
    RampRate rampRate,
    Duration timeout,
    String helo,
    List<InetAddress> sourceAddresses) {

  public IdleOptions {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(rampRate, "rampRate");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(helo, "helo");
    sourceAddresses = List.copyOf(sourceAddresses);
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port must be 1..65535, got " + port);
    }
    if (connections < 1) {
      throw new IllegalArgumentException("connections must be at least 1, got " + connections);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive, got " + timeout);
    }
    if (helo.isBlank() || helo.chars().anyMatch(c -> c <= ' ' || c > '~')) {
      throw new IllegalArgumentException("EHLO name must be printable ASCII: '" + helo + "'");
    }
  }

  /** The local address connection {@code index} binds to, or null to let the kernel choose. */
  InetAddress sourceFor(int index) {
    return sourceAddresses.isEmpty() ? null : sourceAddresses.get(index % sourceAddresses.size());
  }
}
