package io.vireo.relay.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The sender addresses an authenticated user may give in {@code MAIL FROM}: whole addresses
 * ({@code app@example.com}) and whole domains ({@code example.com}, any address at exactly that
 * domain, not its subdomains). Written in the users file as a comma-separated list; compared
 * without regard to case. The null sender {@code <>} matches no entry.
 *
 * @param addresses lower-cased {@code local@domain} entries
 * @param domains lower-cased domain entries
 */
public record AllowedSenders(Set<String> addresses, Set<String> domains) {
  public AllowedSenders {
    addresses = Set.copyOf(addresses);
    domains = Set.copyOf(domains);
    if (addresses.isEmpty() && domains.isEmpty()) {
      throw new IllegalArgumentException("an allowed-senders list needs at least one entry");
    }
  }

  /**
   * Parses {@code app@example.com, example.com}; an entry {@code @example.com} means the domain.
   *
   * @throws IllegalArgumentException naming the first bad entry
   */
  public static AllowedSenders parse(String list) {
    List<String> addresses = new ArrayList<>();
    List<String> domains = new ArrayList<>();
    for (String raw : list.split(",", -1)) {
      String entry = raw.strip().toLowerCase(Locale.ROOT);
      if (entry.startsWith("@")) {
        entry = entry.substring(1);
      }
      int at = entry.lastIndexOf('@');
      String domain = entry.substring(at + 1);
      if (entry.isEmpty()
          || at == 0
          || !isDomain(domain)
          || entry.chars().anyMatch(c -> c <= ' ' || c == ':' || c == 0x7f)) {
        throw new IllegalArgumentException(
            "not a sender address or domain: \"" + raw.strip() + "\"");
      }
      (at < 0 ? domains : addresses).add(entry);
    }
    return new AllowedSenders(Set.copyOf(addresses), Set.copyOf(domains));
  }

  /** Whether {@code address} ({@code local@domain}, empty for the null sender) is allowed. */
  public boolean permits(String address) {
    if (address.isEmpty()) {
      return false;
    }
    String lower = address.toLowerCase(Locale.ROOT);
    int at = lower.lastIndexOf('@');
    return addresses.contains(lower) || (at > 0 && domains.contains(lower.substring(at + 1)));
  }

  /** The users-file form: addresses then domains, sorted, comma-separated. */
  public String format() {
    return addresses.stream().sorted().collect(Collectors.joining(","))
        + (addresses.isEmpty() || domains.isEmpty() ? "" : ",")
        + domains.stream().sorted().collect(Collectors.joining(","));
  }

  private static boolean isDomain(String domain) {
    if (domain.isEmpty() || domain.length() > 255 || domain.startsWith(".") || domain.endsWith(".")
        || domain.contains("..")) {
      return false;
    }
    return domain.chars().allMatch(c -> c == '.' || c == '-' || Character.isLetterOrDigit(c));
  }
}
