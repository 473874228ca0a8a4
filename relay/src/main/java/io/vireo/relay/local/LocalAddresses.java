package io.vireo.relay.local;

import io.vireo.config.LocalConfig;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Which users an address of a local domain names. In this order: an alias of {@code
 * local.aliases} (every user it lists), the users-file user named by the whole address, the user
 * named by the local part, the domain's {@code local.catch-all} user; else nobody. The domain and
 * alias addresses compare case-insensitively; user names exactly, as the users file has them, so
 * {@code Alice@example.com} reaches a user {@code alice} only through the lower-cased local part.
 * Immutable; the user names are asked for at each lookup, so {@code vireo user add} counts at once.
 */
public final class LocalAddresses {
  private final LocalConfig config;
  private final Supplier<? extends Collection<String>> users;

  /**
   * @param users the user names of {@code auth.users-file} now (the store re-reads a changed file)
   */
  public LocalAddresses(LocalConfig config, Supplier<? extends Collection<String>> users) {
    this.config = Objects.requireNonNull(config, "config");
    this.users = Objects.requireNonNull(users, "users");
  }

  /** The user names known now. */
  Collection<String> users() {
    return users.get();
  }

  public LocalConfig config() {
    return config;
  }

  /** True when mail for {@code domain} is kept here. */
  public boolean isLocal(String domain) {
    return config.isLocal(domain);
  }

  /**
   * The users {@code localPart@domain} delivers to: empty when the address has nobody (or the
   * domain is not local).
   */
  public List<String> usersOf(String localPart, String domain) {
    if (!isLocal(domain)) {
      return List.of();
    }
    String lowerDomain = stripDot(domain.toLowerCase(Locale.ROOT));
    String address = localPart + "@" + lowerDomain;
    List<String> alias = config.aliases().get(address.toLowerCase(Locale.ROOT));
    if (alias != null) {
      return alias;
    }
    Collection<String> known = users.get();
    for (String candidate :
        List.of(address, localPart, localPart.toLowerCase(Locale.ROOT))) {
      if (known.contains(candidate) && isMailboxName(candidate)) {
        return List.of(candidate);
      }
    }
    String catchAll = config.catchAll().get(lowerDomain);
    return catchAll == null ? List.of() : List.of(catchAll);
  }

  private static boolean isMailboxName(String user) {
    try {
      LocalConfig.requireMailboxName(user);
      return true;
    } catch (IllegalArgumentException e) {
      return false; // a users-file name that cannot be a directory (a slash): no mailbox
    }
  }

  private static String stripDot(String domain) {
    return domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
  }
}
