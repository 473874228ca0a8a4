package io.vireo.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code delivery}: how queued mail leaves.
 *
 * @param port port of remote MX servers
 * @param dns resolvers and lookup timeout for MX lookups
 * @param routes fixed next hops, first match wins ({@link #routeFor(String)})
 * @param retry delays between attempts and the age at which recipients bounce
 * @param heloName name sent in EHLO/HELO; empty means the top-level hostname ({@link
 *     #heloNameOr(String)})
 * @param maxConnections cap on outbound SMTP connections across all destinations
 * @param tls STARTTLS policy for MX delivery (routes carry their own)
 * @param delayWarning age at which a delay DSN (RFC 3464 action "delayed") is sent; {@link
 *     Duration#ZERO} means never. A value at or beyond {@code retry.maxAge} never fires, since the
 *     message bounces first.
 * @param defaults per-destination limits when no shaping rule matches
 * @param shaping per-destination overrides, first match wins ({@link #limitsFor(String, List)})
 * @param backoff suspension of destinations that fail on every host
 * @param tuning the engine's pacing ({@code delivery.tuning})
 */
public record DeliveryConfig(
    int port,
    DnsConfig dns,
    List<RouteConfig> routes,
    RetryConfig retry,
    String heloName,
    int maxConnections,
    TlsMode tls,
    Duration delayWarning,
    DestinationLimits defaults,
    List<ShapingRule> shaping,
    BackoffConfig backoff,
    EngineTuning tuning) {
  public DeliveryConfig {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("delivery port must be 1..65535: " + port);
    }
    Objects.requireNonNull(dns, "dns");
    routes = List.copyOf(routes);
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(heloName, "heloName");
    if (!heloName.isEmpty() && !DomainNames.isValid(heloName)) {
      throw new IllegalArgumentException("HELO name is not a valid domain name: " + heloName);
    }
    Checks.requirePositive("maxConnections", maxConnections);
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(delayWarning, "delayWarning");
    if (delayWarning.isNegative()) {
      throw new IllegalArgumentException("delayWarning must not be negative: " + delayWarning);
    }
    Objects.requireNonNull(defaults, "defaults");
    shaping = List.copyOf(shaping);
    Objects.requireNonNull(backoff, "backoff");
    Objects.requireNonNull(tuning, "tuning");
  }

  /** All but the engine's tuning, which is {@link EngineTuning#DEFAULTS}. */
  public DeliveryConfig(
      int port,
      DnsConfig dns,
      List<RouteConfig> routes,
      RetryConfig retry,
      String heloName,
      int maxConnections,
      TlsMode tls,
      Duration delayWarning,
      DestinationLimits defaults,
      List<ShapingRule> shaping,
      BackoffConfig backoff) {
    this(
        port,
        dns,
        routes,
        retry,
        heloName,
        maxConnections,
        tls,
        delayWarning,
        defaults,
        shaping,
        backoff,
        EngineTuning.DEFAULTS);
  }

  /**
   * The given port, resolvers, routes and retry policy with every other key at its default: the
   * hostname as HELO name, 500 connections, opportunistic TLS, a delay warning after 4 hours, 20
   * connections / unlimited rate / 1000 messages per connection / 30s idle per destination, no
   * shaping, and a backoff from 30s up to 10m.
   */
  public DeliveryConfig(int port, DnsConfig dns, List<RouteConfig> routes, RetryConfig retry) {
    this(
        port,
        dns,
        routes,
        retry,
        "",
        500,
        TlsMode.OPPORTUNISTIC,
        Duration.ofHours(4),
        new DestinationLimits(20, Rate.unlimited(), 1000, Duration.ofSeconds(30)),
        List.of(),
        new BackoffConfig(Duration.ofSeconds(30), Duration.ofMinutes(10)));
  }

  /** The name to send in EHLO: {@link #heloName()} unless empty, else {@code hostname}. */
  public String heloNameOr(String hostname) {
    return heloName.isEmpty() ? hostname : heloName;
  }

  /** True unless {@link #delayWarning()} is zero (written {@code off} or {@code 0s}). */
  public boolean delayWarningEnabled() {
    return !delayWarning.isZero();
  }

  /**
   * The limits for a destination: those of the first shaping rule matching the recipient {@code
   * domain} or any of {@code mxHosts} (for a route, pass its next hop's host), else {@link
   * #defaults()}. Names are compared case-insensitively; a trailing dot is ignored.
   */
  public DestinationLimits limitsFor(String domain, List<String> mxHosts) {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(mxHosts, "mxHosts");
    for (ShapingRule rule : shaping) {
      if (rule.matches(domain, mxHosts)) {
        return rule.limits();
      }
    }
    return defaults;
  }

  /**
   * The first route whose patterns match the recipient {@code domain}: exact, {@code *.suffix}
   * (any name below suffix, not suffix itself) or {@code *}. Empty means deliver by MX.
   */
  public Optional<RouteConfig> routeFor(String domain) {
    Objects.requireNonNull(domain, "domain");
    return routes.stream().filter(route -> route.matches(domain)).findFirst();
  }
}
