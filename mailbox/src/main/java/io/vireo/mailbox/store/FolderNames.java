package io.vireo.mailbox.store;

import java.nio.file.Path;

/**
 * Folder names and where they live (Maildir++ layout, as Dovecot's and Courier's): INBOX is the
 * Maildir itself, any other folder {@code A.B} is the directory {@code .A.B} inside it, with
 * {@code .} as the hierarchy separator.
 */
public final class FolderNames {
  public static final String INBOX = "INBOX";
  public static final char SEPARATOR = '.';
  private static final int MAX_LENGTH = 200;

  private FolderNames() {}

  /** INBOX in any case is INBOX (RFC 9051 section 5.1); other names are kept as given. */
  public static String canonical(String name) {
    return name.equalsIgnoreCase(INBOX) ? INBOX : name;
  }

  /**
   * Checks a folder name: no empty level, no slash (it would leave the Maildir), no control
   * characters, a bounded length.
   *
   * @throws MailboxException with {@link MailboxException.Reason#INVALID_NAME}
   */
  public static String validate(String name) throws MailboxException {
    String canonical = canonical(name);
    boolean bad =
        canonical.isEmpty()
            || canonical.length() > MAX_LENGTH
            || canonical.startsWith(".")
            || canonical.endsWith(".")
            || canonical.contains("..")
            || canonical.contains("/")
            || canonical.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
    if (bad) {
      throw new MailboxException(MailboxException.Reason.INVALID_NAME, "invalid folder name: " + name);
    }
    return canonical;
  }

  /** The folder's directory inside a Maildir. */
  static Path directory(Path maildir, String canonical) {
    return canonical.equals(INBOX) ? maildir : maildir.resolve("." + canonical);
  }
}
