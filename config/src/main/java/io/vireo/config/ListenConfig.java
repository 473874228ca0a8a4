package io.vireo.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the relay listens: one or more SMTP addresses (STARTTLS offered when a certificate is
 * configured), implicit-TLS submission addresses (RFC 8314; none by default), and the admin HTTP
 * address.
 *
 * @param proxyFrom the load balancers whose connections on the SMTP listeners start with a PROXY
 *     protocol header (v1 or v2) naming the real client; empty: the PROXY protocol is off
 * @param http the HTTP send API's address ({@code listen.http}); empty: the API is off
 */
public record ListenConfig(
    List<HostPort> smtp,
    List<HostPort> smtps,
    HostPort admin,
    List<Cidr> proxyFrom,
    Optional<HostPort> http) {
  public ListenConfig {
    smtp = List.copyOf(smtp);
    if (smtp.isEmpty()) {
      throw new IllegalArgumentException("at least one SMTP listen address is required");
    }
    smtps = List.copyOf(smtps);
    Objects.requireNonNull(admin, "admin");
    proxyFrom = List.copyOf(proxyFrom);
    Objects.requireNonNull(http, "http");
  }

  /** No HTTP send API. */
  public ListenConfig(
      List<HostPort> smtp, List<HostPort> smtps, HostPort admin, List<Cidr> proxyFrom) {
    this(smtp, smtps, admin, proxyFrom, Optional.empty());
  }

  /** These listeners plus the HTTP send API on {@code address}. */
  public ListenConfig withHttp(HostPort address) {
    return new ListenConfig(smtp, smtps, admin, proxyFrom, Optional.of(address));
  }

  /** No PROXY protocol. */
  public ListenConfig(List<HostPort> smtp, List<HostPort> smtps, HostPort admin) {
    this(smtp, smtps, admin, List.of());
  }

  /** Plain SMTP listeners only. */
  public ListenConfig(List<HostPort> smtp, HostPort admin) {
    this(smtp, List.of(), admin);
  }
}
