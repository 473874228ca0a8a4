package io.vireo.relay.protocol;

import java.util.Objects;

/**
 * A mailbox as written in an SMTP path (RFC 5321 section 4.1.2): the local part exactly as sent
 * (quoted form kept, so it can be relayed unchanged) and the domain or address literal. Any source
 * route in front of it has already been dropped.
 *
 * @param localPart dot-string or quoted-string, as written
 * @param domain the domain or address literal after the last unquoted {@code @}; empty only for the
 *     special {@code <Postmaster>} recipient (RFC 5321 section 4.5.1)
 */
public record Mailbox(String localPart, String domain) {
  public Mailbox {
    Objects.requireNonNull(localPart, "localPart");
    Objects.requireNonNull(domain, "domain");
  }

  /**
   * The mailbox of an address as stored ({@code local@domain}, or a bare local part), split at the
   * last {@code @}, which no domain contains. An address without a domain after it is all local
   * part, so {@link #address()} always gives back {@code address} unchanged.
   */
  public static Mailbox of(String address) {
    int at = address.lastIndexOf('@');
    if (at < 0 || at == address.length() - 1) {
      return new Mailbox(address, "");
    }
    return new Mailbox(address.substring(0, at), address.substring(at + 1));
  }

  /** {@code local@domain}, or just the local part for {@code Postmaster}. */
  public String address() {
    return domain.isEmpty() ? localPart : localPart + "@" + domain;
  }

  /** False when the address needs SMTPUTF8 (RFC 6531): a non-ASCII local part or U-label. */
  public boolean isAscii() {
    return isAscii(localPart) && isAscii(domain);
  }

  /** True for the domain-less {@code <Postmaster>} recipient. */
  public boolean isLocalPostmaster() {
    return domain.isEmpty();
  }

  static boolean isAscii(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return address();
  }
}
