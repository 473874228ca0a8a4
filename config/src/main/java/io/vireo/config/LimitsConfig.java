package io.vireo.config;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code limits}: bounds on what one client may take.
 *
 * @param maxMessageSize octets, advertised as SIZE
 * @param maxRecipients per transaction; more get 452 4.5.3
 * @param maxConnections concurrent SMTP sessions; more get 421 4.3.2
 * @param maxConnectionsPerIp concurrent sessions from one client address
 * @param commandTimeout idle time allowed between commands (RFC 5321 4.5.3.2.7: at least 5 minutes)
 * @param dataTimeout idle time allowed while receiving DATA or BDAT content (RFC 5321 4.5.3.2.5)
 * @param maxErrors protocol errors in one session before 421 and close
 * @param nul what a NUL octet in message content does: refuse the message (554 5.6.0) or be removed
 * @param senders per-user sessions and per-address and per-user message and recipient rates
 */
public record LimitsConfig(
    long maxMessageSize,
    int maxRecipients,
    int maxConnections,
    int maxConnectionsPerIp,
    Duration commandTimeout,
    Duration dataTimeout,
    int maxErrors,
    NulPolicy nul,
    SenderLimits senders) {
  public LimitsConfig {
    Checks.requirePositive("maxMessageSize", maxMessageSize);
    Checks.requirePositive("maxRecipients", maxRecipients);
    Checks.requirePositive("maxConnections", maxConnections);
    Checks.requirePositive("maxConnectionsPerIp", maxConnectionsPerIp);
    Checks.requirePositive("commandTimeout", commandTimeout);
    Checks.requirePositive("dataTimeout", dataTimeout);
    Checks.requirePositive("maxErrors", maxErrors);
    Objects.requireNonNull(nul, "nul");
    Objects.requireNonNull(senders, "senders");
  }
}
