package io.vireo.relay.dns;

import java.net.IDN;
import java.util.Locale;
import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/** Converts domain names as written in addresses into the one form used for lookups and cache keys. */
final class DomainNames {

  private DomainNames() {}

  /**
   * Returns {@code domain} as lower-case A-labels without a trailing dot: {@code Bücher.Example.} becomes
   * {@code xn--bcher-kva.example}. U-labels come from SMTPUTF8 addresses (RFC 6531 section 3.2), but
   * the DNS only knows A-labels (RFC 5890 section 2.3.2.1); the DNS compares names case-insensitively
   * (RFC 4343), so lower case makes one cache key per domain.
   *
   * @throws IllegalArgumentException if the name cannot be a mail domain (empty label, label over 63
   *     octets, name over 255 octets, a label IDNA cannot convert, a character outside LDH)
   */
  static String normalize(String domain) {
    String trimmed = domain.strip();
    if (trimmed.endsWith(".")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException("empty domain name");
    }
    String ascii = IDN.toASCII(trimmed, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    if (ascii.isEmpty() || ascii.startsWith(".") || ascii.endsWith(".") || ascii.contains("..")) {
      throw new IllegalArgumentException("empty label in domain name: " + domain);
    }
    // RFC 5321 section 4.1.2 allows letters, digits and hyphens; underscores are tolerated because
    // real host names carry them. Anything else (spaces, controls) could only produce odd queries.
    for (int i = 0; i < ascii.length(); i++) {
      char c = ascii.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.')) {
        throw new IllegalArgumentException("character not allowed in a domain name: " + domain);
      }
    }
    toAbsoluteName(ascii);
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

  /** A name from a DNS record in the normalised form (lower case, no trailing dot). */
  static String fromName(Name name) {
    return name.toString(true).toLowerCase(Locale.ROOT);
  }
}
