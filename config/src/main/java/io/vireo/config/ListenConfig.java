package io.vireo.config;

import java.util.List;
import java.util.Objects;

/**
 * Where the relay listens: one or more SMTP addresses (STARTTLS offered when a certificate is
 * configured), implicit-TLS submission addresses (RFC 8314; none by default), and the admin HTTP
 * address.
 */
public record ListenConfig(List<HostPort> smtp, List<HostPort> smtps, HostPort admin) {
  public ListenConfig {
    smtp = List.copyOf(smtp);
    if (smtp.isEmpty()) {
      throw new IllegalArgumentException("at least one SMTP listen address is required");
    }
    smtps = List.copyOf(smtps);
    Objects.requireNonNull(admin, "admin");
  }

  /** Plain SMTP listeners only. */
  public ListenConfig(List<HostPort> smtp, HostPort admin) {
    this(smtp, List.of(), admin);
  }
}
