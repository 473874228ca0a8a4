package io.vireo.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Binds {@code limits}, {@code relay} and {@code auth}: what an SMTP client may do (message size,
 * timeouts, rates, whom it may relay for) and how failed logins are slowed down and locked out.
 */
final class ClientPolicyBinder {
  private ClientPolicyBinder() {}

  static LimitsConfig limits(YamlSection s, LimitsConfig d) {
    long maxMessageSize = s.get("max-message-size", ValueType.SIZE, d.maxMessageSize());
    int maxRecipients = s.get("max-recipients", ValueType.COUNT, d.maxRecipients());
    int maxConnections = s.get("max-connections", ValueType.COUNT, d.maxConnections());
    int maxConnectionsPerIp =
        s.get("max-connections-per-ip", ValueType.COUNT, d.maxConnectionsPerIp());
    Duration commandTimeout = s.get("command-timeout", ValueType.DURATION, d.commandTimeout());
    Duration dataTimeout = s.get("data-timeout", ValueType.DURATION, d.dataTimeout());
    int maxErrors = s.get("max-errors", ValueType.COUNT, d.maxErrors());
    NulPolicy nul = s.get("nul", ValueType.NUL_POLICY, d.nul());
    SenderLimits senders = senderLimits(s, d.senders());
    return s.build(
        () ->
            new LimitsConfig(
                maxMessageSize,
                maxRecipients,
                maxConnections,
                maxConnectionsPerIp,
                commandTimeout,
                dataTimeout,
                maxErrors,
                nul,
                senders),
        d);
  }

  /** The per-user and per-minute keys, which sit in {@code limits} beside the others. */
  private static SenderLimits senderLimits(YamlSection s, SenderLimits d) {
    int perUser = s.get("max-connections-per-user", ValueType.COUNT, d.maxConnectionsPerUser());
    OptionalInt messagesPerIp =
        s.get("messages-per-minute-per-ip", ValueType.PER_MINUTE, d.messagesPerMinutePerIp());
    OptionalInt recipientsPerIp =
        s.get("recipients-per-minute-per-ip", ValueType.PER_MINUTE, d.recipientsPerMinutePerIp());
    OptionalInt messagesPerUser =
        s.get("messages-per-minute-per-user", ValueType.PER_MINUTE, d.messagesPerMinutePerUser());
    OptionalInt recipientsPerUser =
        s.get(
            "recipients-per-minute-per-user",
            ValueType.PER_MINUTE,
            d.recipientsPerMinutePerUser());
    return s.build(
        () ->
            new SenderLimits(
                perUser, messagesPerIp, recipientsPerIp, messagesPerUser, recipientsPerUser),
        d);
  }

  static RelayConfig relay(YamlSection s, RelayConfig d) {
    List<Cidr> networks = s.list("allow-networks", ValueType.NETWORK, d.allowNetworks(), false);
    List<String> domains = s.list("domains", ValueType.DOMAIN, d.domains(), false);
    return s.build(() -> new RelayConfig(networks, domains), d);
  }

  static AuthConfig auth(YamlSection s, AuthConfig d) {
    Optional<Path> usersFile = s.get("users-file", ValueType.OPTIONAL_PATH, d.usersFile());
    boolean requireTls = s.get("require-tls", ValueType.BOOLEAN, d.requireTls());
    int throttleAfter = s.get("throttle-after", ValueType.COUNT, d.throttleAfter());
    Duration throttleDelay = s.get("throttle-delay", ValueType.DURATION, d.throttleDelay());
    int lockoutAfter = s.get("lockout-after", ValueType.COUNT, d.lockoutAfter());
    Duration lockoutDuration = s.get("lockout-duration", ValueType.DURATION, d.lockoutDuration());
    Duration cacheTtl = s.get("cache-ttl", ValueType.DURATION_OR_OFF, d.cacheTtl());
    if (lockoutAfter < throttleAfter) {
      s.problem(
          s.has("lockout-after") ? "lockout-after" : "throttle-after",
          "lockout-after (" + lockoutAfter + ") must be at least throttle-after ("
              + throttleAfter + ")");
      return d;
    }
    return s.build(
        () ->
            new AuthConfig(
                usersFile,
                requireTls,
                throttleAfter,
                throttleDelay,
                lockoutAfter,
                lockoutDuration,
                cacheTtl),
        d);
  }
}
