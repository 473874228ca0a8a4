package io.vireo.config;

import java.util.List;
import java.util.Locale;

/**
 * Syntax checks for host and domain names (RFC 1123 section 2.1 labels: letters, digits, hyphens),
 * and matching of names against route and shaping patterns.
 */
final class DomainNames {
  private static final int MAX_NAME_LENGTH = 253;
  private static final int MAX_LABEL_LENGTH = 63;

  private DomainNames() {}

  /** True for a name such as {@code mail.example.com}; no trailing dot, no wildcard. */
  static boolean isValid(String name) {
    if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
      return false;
    }
    for (String label : name.split("\\.", -1)) {
      if (!isLabel(label)) {
        return false;
      }
    }
    return true;
  }

  /**
   * True for a route pattern: an exact domain, {@code *.suffix} (any subdomain of suffix), or
   * {@code *}.
   */
  static boolean isValidPattern(String pattern) {
    if (pattern.equals("*")) {
      return true;
    }
    return pattern.startsWith("*.") ? isValid(pattern.substring(2)) : isValid(pattern);
  }

  /**
   * True when a pattern (already lower-case) matches {@code name}: {@code *} matches any name,
   * {@code *.suffix} any name below suffix but not suffix itself, anything else only itself. The
   * name is compared case-insensitively and may end with the root dot DNS answers carry.
   */
  static boolean anyMatches(List<String> patterns, String name) {
    String normalized = normalize(name);
    for (String pattern : patterns) {
      if (matches(pattern, normalized)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(String pattern, String name) {
    if (pattern.equals("*")) {
      return true;
    }
    if (pattern.startsWith("*.")) {
      // Keep the dot of "*.": "*.test" must match "a.test" but not "test" or "atest".
      return name.length() > pattern.length() - 1 && name.endsWith(pattern.substring(1));
    }
    return name.equals(pattern);
  }

  private static String normalize(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
  }

  private static boolean isLabel(String label) {
    if (label.isEmpty() || label.length() > MAX_LABEL_LENGTH) {
      return false;
    }
    if (label.charAt(0) == '-' || label.charAt(label.length() - 1) == '-') {
      return false;
    }
    for (int i = 0; i < label.length(); i++) {
      char c = label.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
