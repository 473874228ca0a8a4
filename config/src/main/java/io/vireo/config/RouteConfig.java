package io.vireo.config;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of {@code delivery.routes}: recipient domains (exact, {@code *.suffix}, or {@code *})
 * sent to a fixed next hop instead of their MX, or, with {@code via: capture}, kept in one local
 * mailbox instead of being sent at all. Patterns are lower-cased here.
 *
 * @param domains recipient domain patterns this route serves
 * @param via the next hop, a host name or IP literal with its port; null for a capture route
 * @param tls STARTTLS policy towards the next hop; independent of {@code delivery.tls}
 * @param auth SMTP AUTH credentials for the next hop, or null to send without AUTH
 * @param captureMailbox the user whose mailbox keeps the mail of a capture route ({@code via:
 *     capture, mailbox: USER}); null for a route to a next hop
 */
public record RouteConfig(
    List<String> domains, HostPort via, TlsMode tls, RouteAuth auth, String captureMailbox) {
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
    Objects.requireNonNull(tls, "tls");
    if (captureMailbox != null) {
      LocalConfig.requireMailboxName(captureMailbox);
      if (via != null || auth != null) {
        throw new IllegalArgumentException("a capture route has no next hop and no auth");
      }
    } else {
      Objects.requireNonNull(via, "via");
      if (via.port() == 0) {
        throw new IllegalArgumentException("route next hop needs a port 1..65535: " + via);
      }
    }
  }

  /** A route to a next hop. */
  public RouteConfig(List<String> domains, HostPort via, TlsMode tls, RouteAuth auth) {
    this(domains, via, tls, auth, null);
  }

  /** A capture route: mail for {@code domains} is kept in {@code mailbox}'s mailbox, not sent. */
  public static RouteConfig capture(List<String> domains, String mailbox) {
    return new RouteConfig(
        domains, null, TlsMode.OPPORTUNISTIC, null, java.util.Objects.requireNonNull(mailbox));
  }

  /** True for {@code via: capture}. */
  public boolean isCapture() {
    return captureMailbox != null;
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
