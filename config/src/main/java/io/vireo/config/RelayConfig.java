package io.vireo.config;

import java.util.List;
import java.util.Locale;

/**
 * {@code relay}: who may send mail where.
 *
 * @param allowNetworks clients in these networks may relay to any domain without AUTH
 * @param domains recipient domains accepted from any client (gateway or backup MX); lower-cased
 *     here
 */
public record RelayConfig(List<Cidr> allowNetworks, List<String> domains) {
  public RelayConfig {
    allowNetworks = List.copyOf(allowNetworks);
    domains = domains.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList();
    for (String domain : domains) {
      if (!DomainNames.isValid(domain)) {
        throw new IllegalArgumentException("not a domain name: " + domain);
      }
    }
  }
}
