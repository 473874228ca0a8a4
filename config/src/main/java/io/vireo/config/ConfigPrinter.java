package io.vireo.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Writes a {@link VireoConfig} as vireo.yaml text with the same keys and units the loader reads, so
 * {@code ConfigLoader.parse(ConfigPrinter.render(c), ...)} gives {@code c} back. {@link
 * #renderRedacted(VireoConfig)} is the variant for showing the effective configuration to a person
 * ({@code config check --print}): the same text with secrets masked.
 */
public final class ConfigPrinter {
  /** Scalars that YAML would read as something other than a plain string if left unquoted. */
  private static final Pattern PLAIN_SAFE = Pattern.compile("[A-Za-z0-9./][A-Za-z0-9._/-]*");

  private static final Set<String> YAML_KEYWORDS =
      Set.of("null", "true", "false", "yes", "no", "on", "off", "y", "n", "~");

  /** Printed instead of each password by {@link #renderRedacted(VireoConfig)}. */
  public static final String REDACTED = "<redacted>";

  private ConfigPrinter() {}

  /**
   * Renders every key, defaults and secrets included; loading the text gives {@code config} back.
   *
   * @throws IllegalArgumentException if a duration has a sub-millisecond part (only possible for a
   *     record built in code), since vireo.yaml has no unit for it
   */
  public static String render(VireoConfig config) {
    return render(config, false);
  }

  /**
   * Like {@link #render(VireoConfig)} but every route password is printed as {@value #REDACTED},
   * so the output can be pasted into a ticket. It no longer loads back to the same configuration.
   */
  public static String renderRedacted(VireoConfig config) {
    return render(config, true);
  }

  private static String render(VireoConfig config, boolean redact) {
    StringBuilder out = new StringBuilder();
    line(out, 0, "hostname", scalar(config.hostname()));

    ListenConfig listen = config.listen();
    section(out, 0, "listen");
    line(
        out,
        1,
        "smtp",
        listen.smtp().size() == 1
            ? scalar(listen.smtp().getFirst().toString())
            : list(listen.smtp(), HostPort::toString));
    line(out, 1, "smtps", list(listen.smtps(), HostPort::toString));
    line(out, 1, "admin", scalar(listen.admin().toString()));
    line(out, 1, "proxy-from", list(listen.proxyFrom(), Cidr::toString));
    line(out, 1, "http", scalar(listen.http().map(HostPort::toString).orElse("")));
    line(out, 1, "pop3", list(listen.pop3(), HostPort::toString));
    line(out, 1, "pop3s", list(listen.pop3s(), HostPort::toString));
    line(out, 1, "imap", list(listen.imap(), HostPort::toString));
    line(out, 1, "imaps", list(listen.imaps(), HostPort::toString));
    config
        .admin()
        .token()
        .ifPresent(
            file -> {
              section(out, 0, "admin");
              line(out, 1, "token-file", scalar(file.toString()));
            });

    section(out, 0, "spool");
    line(out, 1, "dir", scalar(config.spool().dir().toString()));
    line(out, 1, "sync", config.spool().sync().name().toLowerCase(Locale.ROOT));
    line(out, 1, "min-free-space", Sizes.format(config.spool().minFreeSpace()));
    line(out, 1, "roll-cycle", Durations.format(config.spool().rollCycle()));
    line(out, 1, "content-cache", Sizes.format(config.spool().contentCache()));

    LimitsConfig limits = config.limits();
    section(out, 0, "limits");
    line(out, 1, "max-message-size", Sizes.format(limits.maxMessageSize()));
    line(out, 1, "max-recipients", Integer.toString(limits.maxRecipients()));
    line(out, 1, "max-connections", Integer.toString(limits.maxConnections()));
    line(out, 1, "max-connections-per-ip", Integer.toString(limits.maxConnectionsPerIp()));
    line(out, 1, "command-timeout", Durations.format(limits.commandTimeout()));
    line(out, 1, "data-timeout", Durations.format(limits.dataTimeout()));
    line(out, 1, "max-errors", Integer.toString(limits.maxErrors()));
    line(out, 1, "nul", limits.nul().name().toLowerCase(Locale.ROOT));
    SenderLimits senders = limits.senders();
    line(out, 1, "max-connections-per-user", Integer.toString(senders.maxConnectionsPerUser()));
    line(out, 1, "messages-per-minute-per-ip", perMinute(senders.messagesPerMinutePerIp()));
    line(out, 1, "recipients-per-minute-per-ip", perMinute(senders.recipientsPerMinutePerIp()));
    line(out, 1, "messages-per-minute-per-user", perMinute(senders.messagesPerMinutePerUser()));
    line(
        out, 1, "recipients-per-minute-per-user", perMinute(senders.recipientsPerMinutePerUser()));

    section(out, 0, "relay");
    line(out, 1, "allow-networks", list(config.relay().allowNetworks(), Cidr::toString));
    line(out, 1, "domains", list(config.relay().domains(), Function.identity()));

    renderDelivery(out, config.delivery(), redact);

    section(out, 0, "tls");
    line(out, 1, "cert-file", optionalPath(config.tls().certFile()));
    line(out, 1, "key-file", optionalPath(config.tls().keyFile()));

    AuthConfig auth = config.auth();
    section(out, 0, "auth");
    line(out, 1, "users-file", optionalPath(auth.usersFile()));
    line(out, 1, "require-tls", Boolean.toString(auth.requireTls()));
    line(out, 1, "throttle-after", Integer.toString(auth.throttleAfter()));
    line(out, 1, "throttle-delay", Durations.format(auth.throttleDelay()));
    line(out, 1, "lockout-after", Integer.toString(auth.lockoutAfter()));
    line(out, 1, "lockout-duration", Durations.format(auth.lockoutDuration()));
    line(
        out, 1, "cache-ttl", auth.cacheEnabled() ? Durations.format(auth.cacheTtl()) : "off");

    section(out, 0, "cluster");
    ClusterConfig cluster = config.cluster();
    line(out, 1, "redis", scalar(cluster.redis().map(RedisEndpoint::toString).orElse("")));
    line(out, 1, "redis-user", scalar(cluster.redisUser().orElse("")));
    // The file's name only: the password itself is never in the configuration.
    line(out, 1, "redis-password-file", optionalPath(cluster.redisPasswordFile()));
    line(out, 1, "redis-ca-file", optionalPath(cluster.redisCaFile()));

    if (config.dkim().isEmpty()) {
      line(out, 0, "dkim", "[]");
    } else {
      section(out, 0, "dkim");
      for (DkimConfig entry : config.dkim()) {
        out.append("  - domain: ").append(scalar(entry.domain())).append('\n');
        line(out, 2, "selector", scalar(entry.selector()));
        line(out, 2, "key-file", scalar(entry.keyFile().toString()));
        line(out, 2, "headers", list(entry.headers(), Function.identity()));
      }
    }

    renderLocal(out, config.local());
    section(out, 0, "mailbox");
    line(out, 1, "dir", scalar(config.mailbox().dir().toString()));
    line(out, 1, "pop3-autologout", Durations.format(config.mailbox().pop3Autologout()));
    ApiConfig api = config.api();
    section(out, 0, "api");
    line(out, 1, "keys-file", optionalPath(api.keysFile()));
    line(out, 1, "rate", api.rate().toString());
    line(out, 1, "max-body-size", Sizes.format(api.maxBodySize()));
    line(out, 1, "dir", scalar(api.dir().toString()));
    line(out, 1, "idempotency-window", Durations.format(api.idempotencyWindow()));

    section(out, 0, "shutdown");
    line(out, 1, "grace", Durations.format(config.shutdown().grace()));

    section(out, 0, "log");
    line(out, 1, "level", config.log().level());
    line(out, 1, "format", config.log().format());
    renderNotifications(out, config);
    return out.toString();
  }

  private static void renderNotifications(StringBuilder out, VireoConfig config) {
    EventsConfig events = config.events();
    section(out, 0, "events");
    line(out, 1, "enabled", Boolean.toString(events.enabled()));
    line(out, 1, "dir", optionalPath(events.dir()));
    line(out, 1, "segment-size", Sizes.format(events.segmentSize()));
    line(out, 1, "max-size", Sizes.format(events.maxSize()));
    if (config.webhooks().isEmpty()) {
      line(out, 0, "webhooks", "[]");
    } else {
      section(out, 0, "webhooks");
      for (WebhookConfig webhook : config.webhooks()) {
        out.append("  - url: ").append(scalar(webhook.url().toString())).append('\n');
        line(out, 2, "secret-file", scalar(webhook.secretFile().toString()));
        line(out, 2, "events", list(webhook.events(), Function.identity()));
        line(out, 2, "batch", Integer.toString(webhook.batch()));
        line(out, 2, "timeout", Durations.format(webhook.timeout()));
      }
    }
    SuppressionConfig suppression = config.suppression();
    section(out, 0, "suppression");
    line(out, 1, "enabled", Boolean.toString(suppression.enabled()));
    line(out, 1, "file", optionalPath(suppression.file()));
    line(out, 1, "action", suppression.action().name().toLowerCase(Locale.ROOT));
    line(
        out,
        1,
        "expire-after",
        suppression.expireAfter().isZero() ? "off" : Durations.format(suppression.expireAfter()));
    line(out, 1, "soft-bounces", Integer.toString(suppression.softBounces()));
    line(out, 1, "soft-bounce-window", Durations.format(suppression.softBounceWindow()));
  }

  private static void renderDelivery(StringBuilder out, DeliveryConfig delivery, boolean redact) {
    section(out, 0, "delivery");
    line(out, 1, "port", Integer.toString(delivery.port()));
    line(out, 1, "helo-name", scalar(delivery.heloName()));
    line(out, 1, "max-connections", Integer.toString(delivery.maxConnections()));
    line(out, 1, "tls", tls(delivery.tls()));
    section(out, 1, "dns");
    line(out, 2, "servers", list(delivery.dns().servers(), HostPort::toString));
    line(out, 2, "timeout", Durations.format(delivery.dns().timeout()));
    if (delivery.routes().isEmpty()) {
      line(out, 1, "routes", "[]");
    } else {
      section(out, 1, "routes");
      for (RouteConfig route : delivery.routes()) {
        out.append("    - domains: ")
            .append(list(route.domains(), Function.identity()))
            .append('\n');
        if (route.isCapture()) {
          line(out, 3, "via", "capture");
          line(out, 3, "mailbox", scalar(route.captureMailbox()));
          continue;
        }
        line(out, 3, "via", scalar(route.via().toString()));
        line(out, 3, "tls", tls(route.tls()));
        if (route.auth() != null) {
          section(out, 3, "auth");
          line(out, 4, "username", scalar(route.auth().username()));
          line(out, 4, "password", scalar(redact ? REDACTED : route.auth().password()));
        }
      }
    }
    section(out, 1, "retry");
    line(out, 2, "schedule", list(delivery.retry().schedule(), Durations::format));
    line(out, 2, "max-age", Durations.format(delivery.retry().maxAge()));
    line(
        out,
        1,
        "delay-warning",
        delivery.delayWarningEnabled() ? Durations.format(delivery.delayWarning()) : "off");
    section(out, 1, "defaults");
    limits(out, 2, delivery.defaults());
    if (delivery.shaping().isEmpty()) {
      line(out, 1, "shaping", "[]");
    } else {
      section(out, 1, "shaping");
      for (ShapingRule rule : delivery.shaping()) {
        // Every field is printed, inherited or not: this is the effective configuration.
        out.append("    - match: ").append(list(rule.match(), Function.identity())).append('\n');
        limits(out, 3, rule.limits());
      }
    }
    section(out, 1, "backoff");
    line(out, 2, "initial", Durations.format(delivery.backoff().initial()));
    line(out, 2, "max", Durations.format(delivery.backoff().max()));
    section(out, 1, "tuning");
    line(out, 2, "stop-grace", Durations.format(delivery.tuning().stopGrace()));
    line(
        out, 2, "max-concurrent-lookups", Integer.toString(delivery.tuning().maxConcurrentLookups()));
    line(
        out,
        2,
        "max-recipients-per-transaction",
        Integer.toString(delivery.tuning().maxRecipientsPerTransaction()));
  }

  private static void renderLocal(StringBuilder out, LocalConfig local) {
    section(out, 0, "local");
    line(out, 1, "domains", list(local.domains(), Function.identity()));
    if (local.aliases().isEmpty()) {
      line(out, 1, "aliases", "{}");
    } else {
      section(out, 1, "aliases");
      local
          .aliases()
          .forEach(
              (address, users) ->
                  line(out, 2, scalar(address), list(users, Function.identity())));
    }
    if (local.catchAll().isEmpty()) {
      line(out, 1, "catch-all", "{}");
    } else {
      section(out, 1, "catch-all");
      local.catchAll().forEach((domain, user) -> line(out, 2, scalar(domain), scalar(user)));
    }
    line(out, 1, "quota", local.hasQuota() ? Sizes.format(local.quota()) : "off");
  }

  private static void limits(StringBuilder out, int depth, DestinationLimits limits) {
    line(out, depth, "connections", Integer.toString(limits.connections()));
    line(out, depth, "rate", scalar(limits.rate().toString()));
    line(out, depth, "messages-per-connection", Integer.toString(limits.messagesPerConnection()));
    line(out, depth, "idle-timeout", Durations.format(limits.idleTimeout()));
  }

  private static String optionalPath(Optional<Path> path) {
    return scalar(path.map(Path::toString).orElse(""));
  }

  private static String tls(TlsMode mode) {
    return mode.name().toLowerCase(Locale.ROOT);
  }

  private static void section(StringBuilder out, int depth, String key) {
    out.append("  ".repeat(depth)).append(key).append(":\n");
  }

  private static void line(StringBuilder out, int depth, String key, String value) {
    out.append("  ".repeat(depth)).append(key).append(": ").append(value).append('\n');
  }

  private static <T> String list(List<T> items, Function<T, String> text) {
    return items.stream()
        .map(text)
        .map(ConfigPrinter::scalar)
        .collect(Collectors.joining(", ", "[", "]"));
  }

  /** A plain scalar when that reads back as the same string, else a double-quoted one. */
  static String scalar(String text) {
    if (PLAIN_SAFE.matcher(text).matches()
        && !YAML_KEYWORDS.contains(text.toLowerCase(Locale.ROOT))) {
      return text;
    }
    StringBuilder quoted = new StringBuilder("\"");
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> quoted.append("\\\"");
        case '\\' -> quoted.append("\\\\");
        case '\n' -> quoted.append("\\n");
        case '\t' -> quoted.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7F) {
            quoted.append(String.format("\\x%02X", (int) c));
          } else {
            quoted.append(c);
          }
        }
      }
    }
    return quoted.append('"').toString();
  }

  private static String perMinute(java.util.OptionalInt rate) {
    return rate.isPresent() ? Integer.toString(rate.getAsInt()) : "unlimited";
  }
}
