package io.vireo.config;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One entry of {@code delivery.routes}: recipient domains (exact, {@code *.suffix}, or {@code *})
 * sent to a fixed next hop instead of their MX. Patterns are lower-cased here.
 */
public record RouteConfig(List<String> domains, HostPort via) {
  public RouteConfig {
    domains = domains.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList();
    if (domains.isEmpty()) {
      throw new IllegalArgumentException("a route needs at least one domain pattern");
    }
    for (String pattern : domains) {
      if (!DomainNames.isValidPattern(pattern)) {
        throw new IllegalArgumentException(
            "not a domain pattern (exact, *.suffix or *): " + pattern);
      }
    }
    Objects.requireNonNull(via, "via");
    if (via.port() == 0) {
      throw new IllegalArgumentException("route next hop needs a port 1..65535: " + via);
    }
  }
}
