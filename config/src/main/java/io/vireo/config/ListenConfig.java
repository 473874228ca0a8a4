package io.vireo.config;

import java.util.List;
import java.util.Objects;

/** Where the relay listens: one or more SMTP addresses, and the admin HTTP address. */
public record ListenConfig(List<HostPort> smtp, HostPort admin) {
  public ListenConfig {
    smtp = List.copyOf(smtp);
    Objects.requireNonNull(admin, "admin");
  }
}
