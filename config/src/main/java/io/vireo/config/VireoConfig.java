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
    ClusterConfig cluster) {
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
    Objects.requireNonNull(cluster, "cluster");
    if (!listen.smtps().isEmpty() && !tls.enabled()) {
      throw new IllegalArgumentException("listen.smtps needs tls.cert-file and tls.key-file");
    }
  }

  /**
   * A node on its own ({@link ClusterConfig#LOCAL}) without TLS or AUTH on the listeners, with an
   * admin server needing no token.
   */
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
        AdminConfig.NO_TOKEN,
        ClusterConfig.LOCAL);
  }

  /** As the shortest constructor, with the given admin protection. */
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
        admin,
        ClusterConfig.LOCAL);
  }

  /** As the shortest constructor, in the given cluster. */
  public VireoConfig(
      String hostname,
      ListenConfig listen,
      SpoolConfig spool,
      LimitsConfig limits,
      RelayConfig relay,
      DeliveryConfig delivery,
      ClusterConfig cluster) {
    this(
        hostname,
        listen,
        spool,
        limits,
        relay,
        delivery,
        TlsConfig.NONE,
        AuthConfig.DEFAULTS,
        AdminConfig.NO_TOKEN,
        cluster);
  }

  /** A node on its own with TLS and AUTH, and an admin server needing no token (on loopback). */
  public VireoConfig(
      String hostname,
      ListenConfig listen,
      SpoolConfig spool,
      LimitsConfig limits,
      RelayConfig relay,
      DeliveryConfig delivery,
      TlsConfig tls,
      AuthConfig auth) {
    this(
        hostname,
        listen,
        spool,
        limits,
        relay,
        delivery,
        tls,
        auth,
        AdminConfig.NO_TOKEN,
        ClusterConfig.LOCAL);
  }
}
