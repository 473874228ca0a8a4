package io.vireo.config;

import java.util.Objects;

/** The whole relay configuration, as read from {@code vireo.yaml}. Immutable. */
public record VireoConfig(
    String hostname,
    ListenConfig listen,
    SpoolConfig spool,
    LimitsConfig limits,
    RelayConfig relay,
    DeliveryConfig delivery,
    TlsConfig tls,
    AuthConfig auth,
    AdminConfig admin,
    ShutdownConfig shutdown,
    LogConfig log) {
  public VireoConfig {
    Objects.requireNonNull(hostname, "hostname");
    if (!DomainNames.isValid(hostname)) {
      throw new IllegalArgumentException("hostname is not a valid domain name: " + hostname);
    }
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(spool, "spool");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(relay, "relay");
    Objects.requireNonNull(delivery, "delivery");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(shutdown, "shutdown");
    Objects.requireNonNull(log, "log");
    if (!listen.smtps().isEmpty() && !tls.enabled()) {
      throw new IllegalArgumentException("listen.smtps needs tls.cert-file and tls.key-file");
    }
  }

  /** A configuration with the default {@code shutdown} and {@code log} sections. */
  public VireoConfig(
      String hostname,
      ListenConfig listen,
      SpoolConfig spool,
      LimitsConfig limits,
      RelayConfig relay,
      DeliveryConfig delivery,
      TlsConfig tls,
      AuthConfig auth,
      AdminConfig admin) {
    this(
        hostname,
        listen,
        spool,
        limits,
        relay,
        delivery,
        tls,
        auth,
        admin,
        ShutdownConfig.DEFAULTS,
        LogConfig.DEFAULTS);
  }

  /** A configuration without TLS or AUTH on the listeners, with an admin server needing no token. */
  public VireoConfig(
      String hostname,
      ListenConfig listen,
      SpoolConfig spool,
      LimitsConfig limits,
      RelayConfig relay,
      DeliveryConfig delivery) {
    this(
        hostname,
        listen,
        spool,
        limits,
        relay,
        delivery,
        TlsConfig.NONE,
        AuthConfig.DEFAULTS,
        AdminConfig.NO_TOKEN);
  }

  /** A configuration without TLS or AUTH on the listeners, with the given admin protection. */
  public VireoConfig(
      String hostname,
      ListenConfig listen,
      SpoolConfig spool,
      LimitsConfig limits,
      RelayConfig relay,
      DeliveryConfig delivery,
      AdminConfig admin) {
    this(
        hostname,
        listen,
        spool,
        limits,
        relay,
        delivery,
        TlsConfig.NONE,
        AuthConfig.DEFAULTS,
        admin);
  }

  /** A configuration with TLS and AUTH, and an admin server needing no token (on loopback). */
  public VireoConfig(
      String hostname,
      ListenConfig listen,
      SpoolConfig spool,
      LimitsConfig limits,
      RelayConfig relay,
      DeliveryConfig delivery,
      TlsConfig tls,
      AuthConfig auth) {
    this(hostname, listen, spool, limits, relay, delivery, tls, auth, AdminConfig.NO_TOKEN);
  }
}
