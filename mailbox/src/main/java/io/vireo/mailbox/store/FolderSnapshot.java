package io.vireo.mailbox.store;

import java.util.Arrays;
import java.util.List;

/**
 * A folder's state at one moment, immutable: sessions keep one and compare it with the next to tell
 * their client what changed (IMAP's EXISTS, EXPUNGE and FETCH FLAGS).
 *
 * @param uidValidity IMAP's UIDVALIDITY; changes only if the folder's UID list is lost
 * @param uidNext the UID the next message will get
 * @param version bumped by every change, so an unchanged folder costs one comparison
 * @param messages the messages in UID order
 * @param highestModSeq CONDSTORE's HIGHESTMODSEQ (RFC 7162): the largest mod-sequence given, which
 *     grows with every append, flag change and expunge
 */
public record FolderSnapshot(
    long uidValidity, long uidNext, long version, List<MailMessage> messages, long highestModSeq) {
  public FolderSnapshot {
    messages = List.copyOf(messages);
  }

  /** The message with this UID, or null. Binary search: messages are in UID order. */
  public MailMessage byUid(long uid) {
    int at = indexOfUid(uid);
    return at < 0 ? null : messages.get(at);
  }

  /** The index of the message with this UID, or a negative number when there is none. */
  public int indexOfUid(long uid) {
    return indexOfUid(messages, uid);
  }

  /** Binary search by UID in a list of messages in UID order: the index, or negative when absent. */
  public static int indexOfUid(List<MailMessage> messages, long uid) {
    int low = 0;
    int high = messages.size() - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      long at = messages.get(mid).uid();
      if (at < uid) {
        low = mid + 1;
      } else if (at > uid) {
        high = mid - 1;
      } else {
        return mid;
      }
    }
    return -(low + 1);
  }

  /** Total octets of the folder's messages. */
  public long totalSize() {
    long total = 0;
    for (MailMessage message : messages) {
      total += message.size();
    }
    return total;
  }

  /** The UIDs, in order. */
  public long[] uids() {
    return Arrays.stream(messages.toArray(MailMessage[]::new)).mapToLong(MailMessage::uid).toArray();
  }
}
