package io.vireo.relay.protocol;

/**
 * The xtext encoding of DSN parameters (RFC 3461 section 4): printable ASCII except {@code +} and
 * {@code =}, which appear only as {@code +XX} hex escapes.
 */
final class Xtext {
  private Xtext() {}

  static boolean isValid(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '+') {
        // hexchar = "+" 2(%x30-39 / %x41-46); lower-case hex is accepted too.
        if (i + 2 >= s.length() || !isHex(s.charAt(i + 1)) || !isHex(s.charAt(i + 2))) {
          return false;
        }
        i += 2;
      } else if (c < 33 || c > 126 || c == '=') {
        return false;
      }
    }
    return true;
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
  }
}
