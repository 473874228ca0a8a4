package io.vireo.mailbox.imap;

/**
 * Case-insensitive substring search over raw octets for an US-ASCII search string (SEARCH BODY and
 * TEXT): RFC 9051 section 6.4.4 asks for case-insensitivity within ASCII, so nothing needs decoding.
 */
final class AsciiSearch {
  private AsciiSearch() {}

  /** The search string as its lower-case octets, or null when it is not all US-ASCII. */
  static byte[] lowerAscii(String value) {
    byte[] octets = new byte[value.length()];
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c >= 0x80) {
        return null;
      }
      octets[i] = (byte) fold(c);
    }
    return octets;
  }

  /** True when {@code haystack} from {@code from} on holds {@code lower}, ASCII letters in any case. */
  static boolean contains(byte[] haystack, int from, byte[] lower) {
    if (lower.length == 0) {
      return true;
    }
    int first = lower[0];
    int last = haystack.length - lower.length;
    outer:
    for (int i = from; i <= last; i++) {
      if (fold(haystack[i]) != first) {
        continue;
      }
      for (int k = 1; k < lower.length; k++) {
        if (fold(haystack[i + k]) != lower[k]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static int fold(int c) {
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
  }
}
