package io.vireo.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Binds {@code delivery}: the outbound side, with its DNS resolvers, routes, retry schedule,
 * per-destination limits and shaping rules, backoff and engine tuning.
 */
final class DeliveryBinder {
  private DeliveryBinder() {}

  static DeliveryConfig delivery(YamlSection s, DeliveryConfig d) {
    int port = s.get("port", ValueType.REMOTE_PORT, d.port());
    String heloName = s.get("helo-name", ValueType.HELO_NAME, d.heloName());
    int maxConnections = s.get("max-connections", ValueType.COUNT, d.maxConnections());
    TlsMode tls = s.get("tls", ValueType.TLS_MODE, d.tls());
    DnsConfig dns = bindDns(s.section("dns"), d.dns());
    List<RouteConfig> routes = new ArrayList<>();
    for (YamlSection route : s.sectionList("routes")) {
      bindRoute(route).ifPresent(routes::add);
    }
    RetryConfig retry = bindRetry(s.section("retry"), d.retry());
    Duration delayWarning = s.get("delay-warning", ValueType.DURATION_OR_OFF, d.delayWarning());
    DestinationLimits defaults = bindDestinationLimits(s.section("defaults"), d.defaults());
    List<ShapingRule> shaping = new ArrayList<>();
    for (YamlSection rule : s.sectionList("shaping")) {
      bindShapingRule(rule, defaults).ifPresent(shaping::add);
    }
    BackoffConfig backoff = bindBackoff(s.section("backoff"), d.backoff());
    EngineTuning tuning = bindTuning(s.section("tuning"), d.tuning());
    return s.build(
        () ->
            new DeliveryConfig(
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
                tuning),
        d);
  }

  private static EngineTuning bindTuning(YamlSection s, EngineTuning d) {
    Duration stopGrace = s.get("stop-grace", ValueType.DURATION, d.stopGrace());
    int lookups = s.get("max-concurrent-lookups", ValueType.COUNT, d.maxConcurrentLookups());
    int recipients =
        s.get("max-recipients-per-transaction", ValueType.COUNT, d.maxRecipientsPerTransaction());
    return s.build(() -> new EngineTuning(stopGrace, lookups, recipients), d);
  }

  private static DnsConfig bindDns(YamlSection s, DnsConfig d) {
    List<HostPort> servers = s.list("servers", ValueType.DNS_SERVER, d.servers(), false);
    Duration timeout = s.get("timeout", ValueType.DURATION, d.timeout());
    return s.build(() -> new DnsConfig(servers, timeout), d);
  }

  private static Optional<RouteConfig> bindRoute(YamlSection s) {
    if (!s.isMapping()) {
      return Optional.empty();
    }
    List<String> domains = requiredPatterns(s, "domains", "a route");
    Optional<HostPort> via = s.require("via", ValueType.ROUTE_VIA);
    if (via != null && via.isEmpty()) {
      // via: capture keeps the mail in one local mailbox; nothing about a next hop applies.
      String mailbox = s.require("mailbox", ValueType.MAILBOX_USER);
      for (String key : List.of("tls", "auth")) {
        if (s.has(key)) {
          s.problem(key, "a capture route sends nothing, so it takes no " + key);
        }
      }
      if (domains == null || mailbox == null) {
        return Optional.empty();
      }
      return Optional.ofNullable(s.build(() -> RouteConfig.capture(domains, mailbox), null));
    }
    if (s.has("mailbox")) {
      s.problem("mailbox", "only a capture route (via: capture) names a mailbox");
    }
    TlsMode tls = s.get("tls", ValueType.TLS_MODE, TlsMode.OPPORTUNISTIC);
    Optional<RouteAuth> auth = s.has("auth") ? bindAuth(s.section("auth")) : Optional.empty();
    if (domains == null || via == null || (s.has("auth") && auth.isEmpty())) {
      return Optional.empty();
    }
    return Optional.ofNullable(
        s.build(() -> new RouteConfig(domains, via.get(), tls, auth.orElse(null)), null));
  }

  /** Both fields are required: a route with half its credentials is a mistake, not a default. */
  private static Optional<RouteAuth> bindAuth(YamlSection s) {
    if (!s.isMapping()) {
      return Optional.empty();
    }
    String username = s.require("username", ValueType.AUTH_USERNAME);
    String password = s.require("password", ValueType.AUTH_PASSWORD);
    if (username == null || password == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(s.build(() -> new RouteAuth(username, password), null));
  }

  /**
   * The non-empty list of domain patterns under {@code key}, or null when it is missing, empty or
   * invalid (all reported).
   */
  private static List<String> requiredPatterns(YamlSection s, String key, String owner) {
    if (!s.has(key)) {
      s.problem(
          key, "required; expected a list (each " + ValueType.DOMAIN_PATTERN.expected() + ")");
    }
    // null: absent or invalid, both already reported.
    List<String> patterns = s.list(key, ValueType.DOMAIN_PATTERN, null, false);
    if (patterns != null && patterns.isEmpty()) {
      s.problem(key, owner + " needs at least one domain pattern");
      return null;
    }
    return patterns;
  }

  /** {@code delivery.defaults}, and each shaping rule with the defaults as its fallbacks. */
  private static DestinationLimits bindDestinationLimits(YamlSection s, DestinationLimits d) {
    int connections = s.get("connections", ValueType.COUNT, d.connections());
    Rate rate = s.get("rate", ValueType.RATE, d.rate());
    int messagesPerConnection =
        s.get("messages-per-connection", ValueType.COUNT, d.messagesPerConnection());
    Duration idleTimeout = s.get("idle-timeout", ValueType.DURATION, d.idleTimeout());
    return s.build(
        () -> new DestinationLimits(connections, rate, messagesPerConnection, idleTimeout), d);
  }

  private static Optional<ShapingRule> bindShapingRule(YamlSection s, DestinationLimits defaults) {
    if (!s.isMapping()) {
      return Optional.empty();
    }
    List<String> match = requiredPatterns(s, "match", "a shaping rule");
    DestinationLimits limits = bindDestinationLimits(s, defaults);
    if (match == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(s.build(() -> new ShapingRule(match, limits), null));
  }

  private static BackoffConfig bindBackoff(YamlSection s, BackoffConfig d) {
    Duration initial = s.get("initial", ValueType.DURATION, d.initial());
    Duration max = s.get("max", ValueType.DURATION, d.max());
    if (max.compareTo(initial) < 0) {
      // Point at the key the operator wrote: with only initial written, the default max is the
      // other half of the conflict.
      s.problem(
          s.has("max") ? "max" : "initial",
          "backoff max ("
              + Durations.format(max)
              + ") must be at least backoff initial ("
              + Durations.format(initial)
              + ")");
      return d;
    }
    return s.build(() -> new BackoffConfig(initial, max), d);
  }

  private static RetryConfig bindRetry(YamlSection s, RetryConfig d) {
    List<Duration> schedule = s.list("schedule", ValueType.DURATION, d.schedule(), false);
    if (schedule.isEmpty()) {
      s.problem("schedule", "the retry schedule needs at least one delay, e.g. [1m, 5m, 1h]");
      schedule = d.schedule();
    }
    Duration maxAge = s.get("max-age", ValueType.DURATION, d.maxAge());
    List<Duration> delays = schedule;
    return s.build(() -> new RetryConfig(delays, maxAge), d);
  }
}
