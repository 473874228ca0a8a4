package io.vireo.config;

import java.util.List;

/** {@code delivery.dns}: the resolvers to ask; empty means the system's. */
public record DnsConfig(List<HostPort> servers) {
  public DnsConfig {
    servers = List.copyOf(servers);
  }
}
