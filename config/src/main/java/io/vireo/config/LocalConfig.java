package io.vireo.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * {@code local}: the domains whose mail Vireo keeps in its own mailboxes instead of relaying it.
 *
 * <p>A recipient {@code name@domain} of a local domain is, in this order: an alias (every user it
 * lists gets a copy); the user named {@code name@domain} in {@code auth.users-file}; the user named
 * {@code name}; the domain's catch-all user; else unknown ({@code 550 5.1.1} at RCPT). The domain
 * and the alias addresses compare case-insensitively, user names exactly (as the users file).
 *
 * @param domains recipient domains delivered into local mailboxes; lower-cased here
 * @param aliases addresses (lower-cased) delivered to the users listed, in place of a user
 * @param catchAll per local domain, the user who gets mail for addresses nobody has
 * @param quota bytes a user's mailbox may hold before new mail is deferred ({@code 452 4.2.2});
 *     0 means no limit
 */
public record LocalConfig(
    List<String> domains,
    Map<String, List<String>> aliases,
    Map<String, String> catchAll,
    long quota) {
  /** No local domains: Vireo relays everything, as before local delivery existed. */
  public static final LocalConfig NONE =
      new LocalConfig(List.of(), Map.of(), Map.of(), 1024L * 1024 * 1024);

  public LocalConfig {
    List<String> names = domains.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList();
    domains = names;
    for (String domain : names) {
      if (!DomainNames.isValid(domain)) {
        throw new IllegalArgumentException("not a domain name: " + domain);
      }
    }
    Map<String, List<String>> lowerAliases = new LinkedHashMap<>();
    aliases.forEach(
        (address, users) -> {
          String key = address.toLowerCase(Locale.ROOT);
          if (!isLocal(names, domainOf(key))) {
            throw new IllegalArgumentException(
                "alias " + address + " is not an address in local.domains");
          }
          if (users.isEmpty()) {
            throw new IllegalArgumentException("alias " + address + " lists no users");
          }
          users.forEach(LocalConfig::requireMailboxName);
          lowerAliases.put(key, List.copyOf(users));
        });
    aliases = java.util.Collections.unmodifiableMap(lowerAliases);
    Map<String, String> lowerCatchAll = new LinkedHashMap<>();
    catchAll.forEach(
        (domain, user) -> {
          String key = domain.toLowerCase(Locale.ROOT);
          if (!isLocal(names, key)) {
            throw new IllegalArgumentException(
                "catch-all domain " + domain + " is not in local.domains");
          }
          requireMailboxName(user);
          lowerCatchAll.put(key, user);
        });
    catchAll = java.util.Collections.unmodifiableMap(lowerCatchAll);
    if (quota < 0) {
      throw new IllegalArgumentException("quota must not be negative: " + quota);
    }
  }

  /** True when {@code domain} (any case, a trailing dot ignored) is one of {@link #domains()}. */
  public boolean isLocal(String domain) {
    return isLocal(domains, domain);
  }

  /** True when a quota applies. */
  public boolean hasQuota() {
    return quota > 0;
  }

  private static boolean isLocal(List<String> domains, String domain) {
    String name = domain.toLowerCase(Locale.ROOT);
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    return domains.contains(name);
  }

  private static String domainOf(String address) {
    int at = address.lastIndexOf('@');
    if (at <= 0 || at == address.length() - 1) {
      throw new IllegalArgumentException("alias " + address + " is not an address (name@domain)");
    }
    return address.substring(at + 1);
  }

  /**
   * A user name that can name a mailbox directory: what the users file allows (1 to 255 characters,
   * no colon, space or control character), and no {@code /}, {@code .} or {@code ..}, so it can
   * never point outside {@code mailbox.dir}.
   */
  public static String requireMailboxName(String user) {
    Objects.requireNonNull(user, "user");
    if (user.isEmpty()
        || user.length() > 255
        || user.equals(".")
        || user.equals("..")
        || user.chars().anyMatch(c -> c <= ' ' || c == ':' || c == '/' || c == 0x7F)) {
      throw new IllegalArgumentException(
          "not a mailbox user name (1-255 characters, no space, colon, slash or control"
              + " character, not . or ..): " + user);
    }
    return user;
  }
}
