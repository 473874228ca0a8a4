package io.vireo.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/** An IPv4 or IPv6 network such as {@code 127.0.0.0/8} or {@code ::1/128}. */
public record Cidr(InetAddress network, int prefixLength) {
  public Cidr {
    Objects.requireNonNull(network, "network");
    int bits = network.getAddress().length * 8;
    if (prefixLength < 0 || prefixLength > bits) {
      throw new IllegalArgumentException("prefix length must be 0.." + bits + ": " + prefixLength);
    }
  }

  /**
   * Parses {@code address/prefix} (or a bare address: a single host). Only IP literals are
   * accepted, so this never touches DNS; IPv4 must be a full dotted quad.
   */
  public static Cidr parse(String text) {
    String trimmed = text.strip();
    int slash = trimmed.indexOf('/');
    String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
    InetAddress network = IpLiterals.parse(address);
    int bits = network.getAddress().length * 8;
    if (slash < 0) {
      return new Cidr(network, bits);
    }
    String prefix = trimmed.substring(slash + 1);
    if (prefix.isEmpty()
        || prefix.length() > 3
        || !prefix.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("bad prefix length in " + text);
    }
    return new Cidr(network, Integer.parseInt(prefix));
  }

  /**
   * This network with the host bits cleared, e.g. {@code 10.1.2.3/8} becomes {@code 10.0.0.0/8}.
   */
  public Cidr canonical() {
    byte[] bytes = network.getAddress();
    for (int bit = prefixLength; bit < bytes.length * 8; bit++) {
      bytes[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    try {
      return new Cidr(InetAddress.getByAddress(bytes), prefixLength);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("a 4 or 16 byte address is always valid", e);
    }
  }

  /** True when {@code address} (of the same family) lies inside this network. */
  public boolean contains(InetAddress address) {
    byte[] net = network.getAddress();
    byte[] candidate = address.getAddress();
    if (candidate.length != net.length) {
      return false;
    }
    int full = prefixLength / 8;
    for (int i = 0; i < full; i++) {
      if (net[i] != candidate[i]) {
        return false;
      }
    }
    int rest = prefixLength % 8;
    if (rest == 0) {
      return true;
    }
    int mask = 0xFF << (8 - rest) & 0xFF;
    return (net[full] & mask) == (candidate[full] & mask);
  }

  @Override
  public String toString() {
    return IpLiterals.format(network) + "/" + prefixLength;
  }
}
