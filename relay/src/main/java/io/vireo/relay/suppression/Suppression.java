package io.vireo.relay.suppression;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One suppressed address.
 *
 * @param address lower-cased: the list matches addresses case-insensitively, as receiving systems
 *     nearly all treat local parts
 * @param expires when the entry lapses, or null for never
 */
public record Suppression(String address, String reason, Instant added, Instant expires) {
  public Suppression {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(added, "added");
    address = normalize(address);
  }

  public boolean activeAt(Instant now) {
    return expires == null || now.isBefore(expires);
  }

  /**
   * Lower case, surrounding white space and angle brackets dropped.
   *
   * @throws IllegalArgumentException when what is left is no address (no {@code @} between text)
   */
  public static String normalize(String address) {
    Objects.requireNonNull(address, "address");
    String a = address.strip();
    if (a.startsWith("<") && a.endsWith(">")) {
      a = a.substring(1, a.length() - 1);
    }
    int at = a.lastIndexOf('@');
    if (at <= 0 || at == a.length() - 1 || a.length() > 320 || a.chars().anyMatch(c -> c <= ' ' || c == 0x7f || c == '<' || c == '>')
        || !io.vireo.relay.events.Strings.wellFormed(a)) {
      throw new IllegalArgumentException("not an email address: \"" + address + "\"");
    }
    return a.toLowerCase(Locale.ROOT);
  }
}
