package io.vireo.config;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * Strict IP literal parsing that never touches DNS. Only dotted-quad IPv4 is accepted: the short
 * and leading-zero forms that {@link InetAddress#ofLiteral} tolerates ({@code 127.1}, {@code
 * 010.0.0.1}) are easy to misread in a config file.
 */
final class IpLiterals {
  private IpLiterals() {}

  static boolean isIpLiteral(String text) {
    return isIpv4(text) || isIpv6(text);
  }

  static boolean isIpv4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')) {
        return false;
      }
      for (int i = 0; i < part.length(); i++) {
        if (part.charAt(i) < '0' || part.charAt(i) > '9') {
          return false;
        }
      }
      if (Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }

  /** An IPv6 literal without brackets or zone id. */
  static boolean isIpv6(String text) {
    if (text.indexOf(':') < 0 || text.indexOf('[') >= 0 || text.indexOf('%') >= 0) {
      return false;
    }
    try {
      Inet6Address.ofLiteral(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Writes an address in its usual short form: dotted quad, or RFC 5952 IPv6 ({@code ::1}). */
  static String format(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (bytes.length == 4) {
      return address.getHostAddress();
    }
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = (bytes[2 * i] & 0xFF) << 8 | (bytes[2 * i + 1] & 0xFF);
    }
    // RFC 5952 section 4.2: compress the longest run of two or more zero groups, the first if tied.
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        out.append("::");
        i += bestLength - 1;
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
        out.append(':');
      }
      out.append(Integer.toHexString(groups[i]));
    }
    return out.toString();
  }

  /** Parses an IPv4 or IPv6 literal; IPv4-mapped IPv6 addresses come back as IPv4, as Java does. */
  static InetAddress parse(String text) {
    if (!isIpLiteral(text)) {
      throw new IllegalArgumentException("not an IP address: " + text);
    }
    return InetAddress.ofLiteral(text);
  }
}
