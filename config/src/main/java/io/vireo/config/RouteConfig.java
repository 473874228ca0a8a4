package io.vireo.config;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of {@code delivery.routes}: recipient domains (exact, {@code *.suffix}, or {@code *})
 * sent to a fixed next hop instead of their MX. Patterns are lower-cased here.
 *
 * @param domains recipient domain patterns this route serves
 * @param via the next hop, a host name or IP literal with its port
 * @param tls STARTTLS policy towards the next hop; independent of {@code delivery.tls}
 * @param auth SMTP AUTH credentials for the next hop, or null to send without AUTH
 */
public record RouteConfig(List<String> domains, HostPort via, TlsMode tls, RouteAuth auth) {
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
    Objects.requireNonNull(tls, "tls");
  }

  /** A route with opportunistic TLS and no AUTH. */
  public RouteConfig(List<String> domains, HostPort via) {
    this(domains, via, TlsMode.OPPORTUNISTIC, null);
  }

  /** The credentials to present, if any. */
  public Optional<RouteAuth> authentication() {
    return Optional.ofNullable(auth);
  }

  /**
   * True when one of the patterns matches the recipient {@code domain} (case-insensitive; a
   * trailing dot is ignored).
   */
  public boolean matches(String domain) {
    return DomainNames.anyMatches(domains, domain);
  }
}
