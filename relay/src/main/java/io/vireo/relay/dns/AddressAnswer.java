package io.vireo.relay.dns;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/** The cached result of the A and AAAA queries for one host name. */
sealed interface AddressAnswer extends CachedAnswer {

  /** At least one address, IPv4 first. */
  record Addresses(List<InetAddress> addresses, Duration ttl) implements AddressAnswer {
    public Addresses {
      addresses = List.copyOf(addresses);
      if (addresses.isEmpty()) {
        throw new IllegalArgumentException("no addresses");
      }
    }
  }

  /** Both queries answered definitively with nothing (NXDOMAIN or NODATA). */
  record NoAddresses(Duration ttl) implements AddressAnswer {}

  /** Neither query produced an address and at least one produced no definitive answer. */
  record Failure(String reason, Duration ttl) implements AddressAnswer {}
}
