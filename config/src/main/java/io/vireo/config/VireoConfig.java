package io.vireo.config;

import java.util.List;
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
    List<DkimConfig> dkim) {
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
    dkim = List.copyOf(dkim);
    if (!listen.smtps().isEmpty() && !tls.enabled()) {
      throw new IllegalArgumentException("listen.smtps needs tls.cert-file and tls.key-file");
    }
  }

  /** A configuration without DKIM signing. */
  public VireoConfig(
      String hostname,
      ListenConfig listen,
      SpoolConfig spool,
      LimitsConfig limits,
      RelayConfig relay,
      DeliveryConfig delivery,
      TlsConfig tls,
      AuthConfig auth) {
    this(hostname, listen, spool, limits, relay, delivery, tls, auth, List.of());
  }

  /** A configuration without TLS or AUTH on the listeners. */
  public VireoConfig(
      String hostname,
      ListenConfig listen,
      SpoolConfig spool,
      LimitsConfig limits,
      RelayConfig relay,
      DeliveryConfig delivery) {
    this(hostname, listen, spool, limits, relay, delivery, TlsConfig.NONE, AuthConfig.DEFAULTS);
  }
}
