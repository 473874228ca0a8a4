package io.vireo.config;

import java.util.List;
import java.util.Objects;

/** {@code delivery}: how queued mail leaves. */
public record DeliveryConfig(int port, DnsConfig dns, List<RouteConfig> routes, RetryConfig retry) {
  public DeliveryConfig {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("delivery port must be 1..65535: " + port);
    }
    Objects.requireNonNull(dns, "dns");
    routes = List.copyOf(routes);
    Objects.requireNonNull(retry, "retry");
  }
}
