package io.vireo.relay.api;

import io.vireo.config.Rate;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One API key as the keys file holds it: its name, the SHA-256 of the secret (never the secret),
 * the sender domains it may use (empty: any) and its own rate (empty: {@code api.rate}).
 */
public record ApiKey(String name, String hash, List<String> senderDomains, Optional<Rate> rate) {
  public ApiKey {
    Objects.requireNonNull(name, "name");
    if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException("a key name is 1 to 64 of A-Z a-z 0-9 . _ -");
    }
    Objects.requireNonNull(hash, "hash");
    senderDomains =
        senderDomains.stream().map(domain -> domain.toLowerCase(Locale.ROOT)).toList();
    Objects.requireNonNull(rate, "rate");
  }

  /** Whether this key may send from {@code address}: its domain, or a subdomain, is listed. */
  public boolean allowsSender(String address) {
    if (senderDomains.isEmpty()) {
      return true;
    }
    String domain = address.substring(address.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
    return senderDomains.stream()
        .anyMatch(allowed -> domain.equals(allowed) || domain.endsWith("." + allowed));
  }
}
