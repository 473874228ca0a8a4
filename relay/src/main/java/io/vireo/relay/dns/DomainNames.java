package io.vireo.relay.dns;

import java.net.IDN;
import java.util.Locale;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/**
 * Converts domain names as written in addresses into the one form used for lookups and cache keys.
 */
final class DomainNames {

  private static final int MAX_LABEL_LENGTH = 63;
  private static final int MAX_NAME_LENGTH = 253;

  private DomainNames() {}

  /**
   * Returns {@code domain} as lower-case A-labels without a trailing dot: {@code Bücher.Example.}
   * becomes {@code xn--bcher-kva.example}. U-labels come from SMTPUTF8 addresses (RFC 6531 section
   * 3.2), but the DNS only knows A-labels (RFC 5890 section 2.3.2.1); the DNS compares names
   * case-insensitively (RFC 4343), so lower case makes one cache key per domain.
   *
   * @throws IllegalArgumentException if the name cannot be a mail domain (empty label, label over
   *     63 octets, name over 253 characters, a label IDNA cannot convert, a character outside LDH)
   */
  static String normalize(String domain) {
    String trimmed = domain.strip();
    if (trimmed.endsWith(".")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    // Pure ASCII needs no IDNA pass: toASCII leaves such labels (A-labels included) as they are,
    // and
    // this is the hot path, run on every resolve.
    String ascii = isAscii(trimmed) ? trimmed : IDN.toASCII(trimmed, IDN.ALLOW_UNASSIGNED);
    ascii = ascii.toLowerCase(Locale.ROOT);
    checkSyntax(ascii, domain);
    return ascii;
  }

  /** The absolute DNS name for an already normalised domain. */
  static Name toAbsoluteName(String normalized) {
    try {
      return Name.fromString(normalized, Name.root);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("not a valid DNS name: " + normalized, e);
    }
  }

  /**
   * RFC 1035 section 2.3.4: labels of 1 to 63 octets, at most 253 characters as text (255 octets on
   * the wire). RFC 5321 section 4.1.2 allows letters, digits and hyphens; underscores are tolerated
   * because real host names carry them. Anything else (spaces, controls) could only produce odd
   * queries.
   */
  private static void checkSyntax(String ascii, String original) {
    if (ascii.isEmpty() || ascii.length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException("domain name empty or too long: " + original);
    }
    int labelLength = 0;
    for (int i = 0; i < ascii.length(); i++) {
      char c = ascii.charAt(i);
      if (c == '.') {
        if (labelLength == 0) {
          throw new IllegalArgumentException("empty label in domain name: " + original);
        }
        labelLength = 0;
      } else if (c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
        if (++labelLength > MAX_LABEL_LENGTH) {
          throw new IllegalArgumentException(
              "label longer than 63 octets in domain name: " + original);
        }
      } else {
        throw new IllegalArgumentException("character not allowed in a domain name: " + original);
      }
    }
    if (labelLength == 0) {
      throw new IllegalArgumentException("empty label in domain name: " + original);
    }
  }

  private static boolean isAscii(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  /** A name from a DNS record in the normalised form (lower case, no trailing dot). */
  static String fromName(Name name) {
    return name.toString(true).toLowerCase(Locale.ROOT);
  }
}
