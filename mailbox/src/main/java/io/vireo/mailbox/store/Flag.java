package io.vireo.mailbox.store;

import java.util.EnumSet;
import java.util.Set;

/**
 * A system flag of a stored message, kept as one letter of the Maildir file name's {@code :2,} info
 * (the Maildir specification's letters, which Dovecot and Courier use too). IMAP's names are here
 * so both sessions share one table; {@code P} (passed) has no IMAP flag and is kept as it is.
 */
public enum Flag {
  DRAFT('D', "\\Draft"),
  FLAGGED('F', "\\Flagged"),
  ANSWERED('R', "\\Answered"),
  SEEN('S', "\\Seen"),
  DELETED('T', "\\Deleted");

  private final char letter;
  private final String imapName;

  Flag(char letter, String imapName) {
    this.letter = letter;
    this.imapName = imapName;
  }

  /** The Maildir info letter. */
  public char letter() {
    return letter;
  }

  /** The IMAP system flag, with its backslash (RFC 9051 section 2.3.2). */
  public String imapName() {
    return imapName;
  }

  /** The flag of a Maildir letter, or null for a letter that is not one of these. */
  public static Flag ofLetter(char letter) {
    for (Flag flag : values()) {
      if (flag.letter == letter) {
        return flag;
      }
    }
    return null;
  }

  /** The flag of an IMAP name, case-insensitively (RFC 9051 section 9: flag names are), or null. */
  public static Flag ofImapName(String name) {
    for (Flag flag : values()) {
      if (flag.imapName.equalsIgnoreCase(name)) {
        return flag;
      }
    }
    return null;
  }

  /** A fresh, mutable copy (an empty EnumSet when {@code flags} is empty). */
  public static EnumSet<Flag> copyOf(Set<Flag> flags) {
    return flags.isEmpty() ? EnumSet.noneOf(Flag.class) : EnumSet.copyOf(flags);
  }
}
