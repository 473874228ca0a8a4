package io.vireo.mailbox.store;

import java.util.EnumSet;
import java.util.Set;

/**
 * File names of a Maildir (https://cr.yp.to/proto/maildir.html): {@code time.unique.host}, an
 * optional {@code ,S=size} (Dovecot's and Courier's size hint) and, in {@code cur/}, the info
 * {@code :2,} followed by flag letters in ASCII order.
 */
final class MaildirNames {
  static final String INFO = ":2,";

  private MaildirNames() {}

  /** The base name: everything before the info separator. */
  static String base(String fileName) {
    int colon = fileName.indexOf(':');
    return colon < 0 ? fileName : fileName.substring(0, colon);
  }

  /** The system flags of a file name's {@code :2,} info; none when there is no info. */
  static EnumSet<Flag> flags(String fileName) {
    EnumSet<Flag> flags = EnumSet.noneOf(Flag.class);
    int info = fileName.indexOf(INFO);
    if (info >= 0) {
      for (int i = info + INFO.length(); i < fileName.length(); i++) {
        Flag flag = Flag.ofLetter(fileName.charAt(i));
        if (flag != null) {
          flags.add(flag);
        }
      }
    }
    return flags;
  }

  /** Info letters that are not system flags (keywords, P), in their order. */
  static String otherInfo(String fileName) {
    int info = fileName.indexOf(INFO);
    if (info < 0) {
      return "";
    }
    StringBuilder other = new StringBuilder();
    for (int i = info + INFO.length(); i < fileName.length(); i++) {
      char c = fileName.charAt(i);
      if (Flag.ofLetter(c) == null) {
        other.append(c);
      }
    }
    return other.toString();
  }

  /** The size from {@code ,S=<n>} in a base name, or -1 when it has none. */
  static long sizeHint(String baseName) {
    return hint(baseName, ",S=");
  }

  /** Dovecot's virtual size (with CRLF line ends) from {@code ,W=<n>}, or -1 when it has none. */
  static long virtualSizeHint(String baseName) {
    return hint(baseName, ",W=");
  }

  /** The hints part of a base name ({@code ,S=..,W=..}), or "" (carried over to a copy's name). */
  static String hints(String baseName) {
    int comma = baseName.indexOf(',');
    return comma < 0 ? "" : baseName.substring(comma);
  }

  private static long hint(String baseName, String key) {
    int at = baseName.indexOf(key);
    if (at < 0) {
      return -1;
    }
    long size = 0;
    int i = at + 3;
    int start = i;
    while (i < baseName.length() && Character.isDigit(baseName.charAt(i)) && i - start < 18) {
      size = size * 10 + (baseName.charAt(i) - '0');
      i++;
    }
    return i == start ? -1 : size;
  }

  /** The name in {@code cur/}: base, {@code :2,} and the letters sorted (the spec asks for ASCII order). */
  static String withInfo(String baseName, Set<Flag> flags, String otherInfo) {
    StringBuilder letters = new StringBuilder(otherInfo);
    for (Flag flag : flags) {
      letters.append(flag.letter());
    }
    char[] sorted = letters.toString().toCharArray();
    java.util.Arrays.sort(sorted);
    return baseName + INFO + new String(sorted);
  }

  /**
   * A host name as the spec wants it in a file name: {@code /} and {@code :} would break the name,
   * so they become {@code \057} and {@code \072}.
   */
  static String safeHost(String host) {
    return host.replace("/", "\\057").replace(":", "\\072");
  }
}
