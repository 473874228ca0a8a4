package io.vireo.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Binds {@code local} and {@code mailbox}: the domains whose mail is kept here rather than
 * relayed, their aliases and catch-alls, and the Maildirs that hold it.
 */
final class LocalMailBinder {
  private LocalMailBinder() {}

  /**
   * {@code local}: domains, aliases (address to users), catch-all (domain to user) and quota. A
   * domain may not be both local and in {@code relay.domains}; aliases and catch-alls must belong
   * to a local domain.
   */
  static LocalConfig local(YamlSection s, LocalConfig d, RelayConfig relay) {
    List<String> domains = s.list("domains", ValueType.DOMAIN, d.domains(), false);
    List<String> lowered =
        domains.stream().map(x -> x.toLowerCase(java.util.Locale.ROOT)).toList();
    for (String domain : lowered) {
      if (relay.domains().contains(domain)) {
        s.problem(
            "domains",
            domain + " is also in relay.domains: a domain is either delivered here or relayed");
        return d;
      }
    }
    Map<String, List<String>> aliases = new java.util.LinkedHashMap<>();
    YamlSection aliasSection = s.section("aliases");
    for (String key : aliasSection.dataKeys()) {
      String address = parseOrReport(aliasSection, key, ValueType.ADDRESS);
      List<String> users = aliasSection.list(key, ValueType.MAILBOX_USER, null, true);
      if (address == null || users == null) {
        continue;
      }
      if (users.isEmpty()) {
        aliasSection.problem(key, "an alias needs at least one user");
      } else if (!lowered.contains(address.substring(address.lastIndexOf('@') + 1))) {
        aliasSection.problem(key, address + " is not an address of a domain in local.domains");
      } else {
        aliases.put(address, users);
      }
    }
    Map<String, String> catchAll = new java.util.LinkedHashMap<>();
    YamlSection catchAllSection = s.section("catch-all");
    for (String key : catchAllSection.dataKeys()) {
      String domain = parseOrReport(catchAllSection, key, ValueType.DOMAIN);
      String user = catchAllSection.require(key, ValueType.MAILBOX_USER);
      if (domain == null || user == null) {
        continue;
      }
      if (!lowered.contains(domain.toLowerCase(java.util.Locale.ROOT))) {
        catchAllSection.problem(key, domain + " is not in local.domains");
      } else {
        catchAll.put(domain, user);
      }
    }
    long quota = s.get("quota", ValueType.SIZE_OR_OFF, d.quota());
    return s.build(() -> new LocalConfig(domains, aliases, catchAll, quota), d);
  }

  /** A key that is itself a value (an alias address, a catch-all domain), checked as one. */
  private static <T> T parseOrReport(YamlSection s, String key, ValueType<T> type) {
    try {
      return type.parse(key);
    } catch (IllegalArgumentException e) {
      s.problem(key, "expected " + type.expected() + " as the key, got \"" + key + "\"");
      return null;
    }
  }

  static MailboxConfig mailbox(YamlSection s, MailboxConfig d) {
    Path dir = s.get("dir", ValueType.PATH, d.dir());
    Duration autologout = s.get("pop3-autologout", ValueType.DURATION, d.pop3Autologout());
    if (autologout.compareTo(MailboxConfig.MIN_POP3_AUTOLOGOUT) < 0) {
      s.problem("pop3-autologout", "must be at least 10m (RFC 1939 section 3)");
      autologout = d.pop3Autologout();
    }
    Duration pop3Autologout = autologout;
    return s.build(() -> new MailboxConfig(dir, pop3Autologout), d);
  }
}
