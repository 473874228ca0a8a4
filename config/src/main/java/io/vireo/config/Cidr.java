package io.vireo.config;

import java.net.InetAddress;
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
   * Parses {@code address/prefix} (or a bare address: a single host). Only IP literals are accepted, so
   * this never touches DNS.
   */
  public static Cidr parse(String text) {
    String trimmed = text.trim();
    int slash = trimmed.indexOf('/');
    String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
    if (!isIpLiteral(address)) {
      throw new IllegalArgumentException("not an IP address: " + address);
    }
    InetAddress network;
    try {
      network = InetAddress.ofLiteral(address);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not an IP address: " + address, e);
    }
    int bits = network.getAddress().length * 8;
    int prefix;
    if (slash < 0) {
      prefix = bits;
    } else {
      try {
        prefix = Integer.parseInt(trimmed.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad prefix length in " + text, e);
      }
    }
    return new Cidr(network, prefix);
  }

  private static boolean isIpLiteral(String s) {
    return !s.isEmpty() && s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':');
  }

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
    return network.getHostAddress() + "/" + prefixLength;
  }

}
