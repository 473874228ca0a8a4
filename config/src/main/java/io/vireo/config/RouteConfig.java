package io.vireo.config;

import java.util.List;
import java.util.Objects;

/**
 * One entry of {@code delivery.routes}: recipient domains (exact, {@code *.suffix}, or {@code *}) sent to a
 * fixed next hop instead of their MX.
 */
public record RouteConfig(List<String> domains, HostPort via) {
  public RouteConfig {
    domains = List.copyOf(domains);
    Objects.requireNonNull(via, "via");
  }
}
