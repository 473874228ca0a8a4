package io.vireo.mailbox.store;

import java.util.Locale;

/** What a folder is for (RFC 6154 section 2), as IMAP's LIST shows it to clients. */
public enum SpecialUse {
  ALL("\\All"),
  ARCHIVE("\\Archive"),
  DRAFTS("\\Drafts"),
  FLAGGED("\\Flagged"),
  JUNK("\\Junk"),
  SENT("\\Sent"),
  TRASH("\\Trash");

  private final String imapName;

  SpecialUse(String imapName) {
    this.imapName = imapName;
  }

  public String imapName() {
    return imapName;
  }

  /**
   * False for \All and \Flagged: they name virtual folders (every message, every flagged one),
   * which a Maildir cannot be.
   */
  public boolean storable() {
    return this != ALL && this != FLAGGED;
  }

  /** The use of an attribute such as {@code \Sent} in any case, or null for another one. */
  public static SpecialUse ofImapName(String name) {
    for (SpecialUse use : values()) {
      if (use.imapName.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
        return use;
      }
    }
    return null;
  }
}
