package io.vireo.config;

import java.util.List;

/**
 * {@code relay}: who may send mail where.
 *
 * @param allowNetworks clients in these networks may relay to any domain without AUTH
 * @param domains recipient domains accepted from any client (gateway or backup MX); lower case
 */
public record RelayConfig(List<Cidr> allowNetworks, List<String> domains) {
  public RelayConfig {
    allowNetworks = List.copyOf(allowNetworks);
    domains = List.copyOf(domains);
  }
}
