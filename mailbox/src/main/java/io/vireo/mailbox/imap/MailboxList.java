package io.vireo.mailbox.imap;

import io.vireo.mailbox.store.FolderNames;
import io.vireo.mailbox.store.SpecialUse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * LIST and LSUB (RFC 9051 section 6.3.9, RFC 5258's SUBSCRIBED options, RFC 3348's CHILDREN
 * attributes, RFC 6154's special-use attributes and SPECIAL-USE option): the reference and pattern
 * are joined, {@code *} matches anything and {@code %} anything but the separator; INBOX matches in
 * any case. The special-use attributes are in every LIST answer, as Dovecot's are, since clients
 * that never ask with RETURN (SPECIAL-USE) (Thunderbird, K-9) still read them; LSUB has none.
 */
final class MailboxList {
  private final SessionState session;

  MailboxList(SessionState session) {
    this.session = session;
  }

  void list(ImapCommand.ListMailboxes list) throws IOException {
    ResponseWriter out = session.out;
    String verb = list.lsub() ? "LSUB" : "LIST";
    if (list.patterns().size() == 1 && list.patterns().getFirst().isEmpty() && !list.lsub()) {
      // The empty pattern asks for the separator and the root (section 6.3.9).
      out.untagged("LIST (\\Noselect) \".\" \"\"");
      return;
    }
    List<String> folders = session.store.folders(session.user);
    Set<String> existing = new HashSet<>(folders);
    Set<String> subscribed = new HashSet<>(session.store.subscriptions(session.user));
    Map<String, Set<SpecialUse>> specialUses = session.store.specialUses(session.user);
    List<Pattern> patterns = new ArrayList<>();
    for (String pattern : list.patterns()) {
      patterns.add(compile(list.reference() + pattern));
    }
    List<String> names = new ArrayList<>(folders);
    if (list.subscribedOnly()) {
      names = new ArrayList<>(session.store.subscriptions(session.user));
    }
    for (String name : names) {
      if (!matches(patterns, name) || list.specialUseOnly() && !specialUses.containsKey(name)) {
        continue;
      }
      List<String> attributes = new ArrayList<>();
      if (!existing.contains(name)) {
        attributes.add("\\NonExistent");
      } else if (!list.lsub()) {
        attributes.add(hasChildren(folders, name) ? "\\HasChildren" : "\\HasNoChildren");
        specialUses.getOrDefault(name, Set.of()).forEach(use -> attributes.add(use.imapName()));
      }
      if ((list.subscribedOnly() || list.returnSubscribed()) && !list.lsub() && subscribed.contains(name)) {
        attributes.add("\\Subscribed");
      }
      out.text("* ").text(verb).text(" (").text(String.join(" ", attributes)).text(") \".\" ");
      out.string(name).crlf();
    }
  }

  private static boolean hasChildren(List<String> folders, String name) {
    String prefix = name + FolderNames.SEPARATOR;
    return folders.stream().anyMatch(f -> f.startsWith(prefix));
  }

  private static boolean matches(List<Pattern> patterns, String name) {
    for (Pattern pattern : patterns) {
      if (pattern.matcher(name).matches()) {
        return true;
      }
    }
    return false;
  }

  static Pattern compile(String pattern) {
    StringBuilder regex = new StringBuilder();
    String rest = pattern;
    // INBOX is case-insensitive, also as the first level of a pattern (section 5.1).
    if (rest.regionMatches(true, 0, "INBOX", 0, 5) && (rest.length() == 5 || rest.charAt(5) == '.')) {
      regex.append("INBOX");
      rest = rest.substring(5);
    }
    for (char c : rest.toCharArray()) {
      switch (c) {
        case '*' -> regex.append(".*");
        case '%' -> regex.append("[^.]*");
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.DOTALL);
  }
}
