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
    Objects.requireNonNull(cluster, "cluster");
  }

  /** A node on its own ({@link ClusterConfig#LOCAL}). */
  public VireoConfig(
      String hostname,
      ListenConfig listen,
      SpoolConfig spool,
      LimitsConfig limits,
      RelayConfig relay,
      DeliveryConfig delivery) {
    this(hostname, listen, spool, limits, relay, delivery, ClusterConfig.LOCAL);
  }
}
