package io.vireo.relay.dns;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * One mail exchanger: its host name (lower-case A-labels, no trailing dot), its MX preference
 * (lower is tried first) and its addresses, IPv4 before IPv6, each family in the order the DNS
 * returned them.
 */
public record MxHost(String name, int preference, List<InetAddress> addresses) {
  public MxHost {
    Objects.requireNonNull(name, "name");
    if (preference < 0 || preference > 0xFFFF) {
      throw new IllegalArgumentException("MX preference is a 16-bit unsigned value: " + preference);
    }
    addresses = List.copyOf(addresses);
  }
}
