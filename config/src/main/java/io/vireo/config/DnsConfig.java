package io.vireo.config;

import java.util.List;

/** {@code delivery.dns}: the resolvers to ask; empty means the system's. */
public record DnsConfig(List<HostPort> servers) {
  public DnsConfig {
    servers = List.copyOf(servers);
    for (HostPort server : servers) {
      if (!server.isIpLiteral() || server.port() == 0) {
        throw new IllegalArgumentException(
            "a DNS server must be an IP literal with a port 1..65535: " + server);
      }
    }
  }
}
