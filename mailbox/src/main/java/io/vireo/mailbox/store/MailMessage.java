package io.vireo.mailbox.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * One message of a folder as the store knows it: its UID, where its file is and what its name says.
 *
 * @param uid the IMAP UID, unique in the folder for its UIDVALIDITY, never reused
 * @param baseName the file name up to the Maildir info ({@code :2,...}); stable across flag changes
 * @param inNew true while the file is still in {@code new/} (no session has seen it yet)
 * @param flags the system flags of the info suffix
 * @param otherInfo info letters that are not system flags (Dovecot keywords {@code a..z}, {@code P}),
 *     kept so a flag change does not drop them
 * @param size the size in octets as served, with CRLF line ends: Dovecot's {@code ,W=} of the name
 *     when there, else {@code ,S=}, else the file's size
 * @param lfEndings true when the file has bare LF line ends (a name whose {@code ,W=} differs from its
 *     {@code ,S=}, as Dovecot's LDA writes): content is then served with CRLF
 * @param internalDate the file's modification time (the delivery time, or APPEND's date)
 * @param modSeq the CONDSTORE mod-sequence (RFC 7162): the folder's highest when the message came or
 *     its flags last changed; 0 until the folder has given it one
 */
public record MailMessage(
    long uid,
    String baseName,
    boolean inNew,
    Set<Flag> flags,
    String otherInfo,
    long size,
    boolean lfEndings,
    Instant internalDate,
    long modSeq) {
  public MailMessage {
    if (uid <= 0) {
      throw new IllegalArgumentException("uid must be positive: " + uid);
    }
    Objects.requireNonNull(baseName, "baseName");
    flags = Set.copyOf(flags);
    Objects.requireNonNull(otherInfo, "otherInfo");
    Objects.requireNonNull(internalDate, "internalDate");
  }

  public boolean has(Flag flag) {
    return flags.contains(flag);
  }

  /** The file name in its directory: the base, then the info in {@code cur/}. */
  String fileName() {
    return inNew ? baseName : MaildirNames.withInfo(baseName, flags, otherInfo);
  }

  MailMessage withFlags(Set<Flag> newFlags) {
    return new MailMessage(uid, baseName, false, newFlags, otherInfo, size, lfEndings, internalDate, modSeq);
  }

  MailMessage withModSeq(long newModSeq) {
    return new MailMessage(uid, baseName, inNew, flags, otherInfo, size, lfEndings, internalDate, newModSeq);
  }
}
