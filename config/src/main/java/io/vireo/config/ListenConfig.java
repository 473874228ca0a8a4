package io.vireo.config;

import java.util.List;
import java.util.Objects;

/** Where the relay listens: one or more SMTP addresses, and the admin HTTP address. */
public record ListenConfig(List<HostPort> smtp, HostPort admin) {
  public ListenConfig {
    smtp = List.copyOf(smtp);
    if (smtp.isEmpty()) {
      throw new IllegalArgumentException("at least one SMTP listen address is required");
    }
    Objects.requireNonNull(admin, "admin");
  }
}
