package io.vireo.config;

import java.time.Duration;
import java.util.List;

/**
 * {@code delivery.dns}: the resolvers to ask (empty means the system's) and how long one lookup
 * may take before it counts as a temporary failure.
 */
public record DnsConfig(List<HostPort> servers, Duration timeout) {
  public DnsConfig {
    servers = List.copyOf(servers);
    for (HostPort server : servers) {
      if (!server.isIpLiteral() || server.port() == 0) {
        throw new IllegalArgumentException(
            "a DNS server must be an IP literal with a port 1..65535: " + server);
      }
    }
    Checks.requirePositive("dns timeout", timeout);
  }

  /** The given resolvers with the default 5 second lookup timeout. */
  public DnsConfig(List<HostPort> servers) {
    this(servers, Duration.ofSeconds(5));
  }
}
