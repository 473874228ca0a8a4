package io.vireo.mailbox.imap;

import io.vireo.mailbox.store.Flag;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * A parsed IMAP command (RFC 9051 section 6), one record per command; the session never sees the
 * raw line. UID variants carry {@code uid = true}.
 */
public sealed interface ImapCommand {
  record Capability() implements ImapCommand {}

  record Noop() implements ImapCommand {}

  record Logout() implements ImapCommand {}

  record StartTls() implements ImapCommand {}

  /** The password as bytes, so the session can clear it after the check. */
  record Login(String user, byte[] password) implements ImapCommand {}

  /** @param initialResponse SASL-IR's initial response (RFC 4959), or null; "=" is empty */
  record Authenticate(String mechanism, String initialResponse) implements ImapCommand {}

  record Enable(List<String> capabilities) implements ImapCommand {}

  record Id() implements ImapCommand {}

  record Namespace() implements ImapCommand {}

  /** @param condstore the CONDSTORE parameter (RFC 7162 section 3.1.8) */
  record Select(String mailbox, boolean readOnly, boolean condstore) implements ImapCommand {}

  /** @param uses the attributes of CREATE's USE parameter (RFC 6154 section 3), as given */
  record Create(String mailbox, List<String> uses) implements ImapCommand {}

  record Delete(String mailbox) implements ImapCommand {}

  record Rename(String from, String to) implements ImapCommand {}

  record Subscribe(String mailbox, boolean subscribe) implements ImapCommand {}

  /**
   * LIST (or LSUB, {@code lsub = true}).
   *
   * @param subscribedOnly the SUBSCRIBED selection option (RFC 5258), or LSUB
   * @param returnSubscribed RETURN (SUBSCRIBED)
   * @param specialUseOnly the SPECIAL-USE selection option (RFC 6154 section 2)
   */
  record ListMailboxes(
      String reference,
      List<String> patterns,
      boolean lsub,
      boolean subscribedOnly,
      boolean returnSubscribed,
      boolean specialUseOnly)
      implements ImapCommand {}

  /** STATUS items: MESSAGES, UIDNEXT, UIDVALIDITY, UNSEEN, DELETED, SIZE, RECENT, HIGHESTMODSEQ. */
  record Status(String mailbox, List<String> items) implements ImapCommand {}

  /** @param date the internal date given, or null for now */
  record Append(String mailbox, Set<Flag> flags, Instant date, byte[] content) implements ImapCommand {}

  record Check() implements ImapCommand {}

  record Close() implements ImapCommand {}

  record Unselect() implements ImapCommand {}

  /** EXPUNGE, or UID EXPUNGE with its set (RFC 4315 section 2.1). */
  record Expunge(SequenceSet uids) implements ImapCommand {}

  record Search(boolean uid, SearchKey key, List<String> returnOptions) implements ImapCommand {}

  /** @param changedSince CHANGEDSINCE's mod-sequence (RFC 7162), or -1 without it */
  record Fetch(boolean uid, SequenceSet set, List<FetchAttribute> attributes, long changedSince)
      implements ImapCommand {}

  /** How STORE changes flags: replace, add (+FLAGS) or remove (-FLAGS). */
  enum StoreMode {
    REPLACE,
    ADD,
    REMOVE
  }

  /** @param unchangedSince UNCHANGEDSINCE's mod-sequence (RFC 7162 section 3.1.3), or -1 */
  record Store(
      boolean uid, SequenceSet set, long unchangedSince, StoreMode mode, boolean silent, Set<Flag> flags)
      implements ImapCommand {}

  /** COPY, or MOVE (RFC 6851) with {@code move = true}. */
  record Copy(boolean uid, SequenceSet set, String mailbox, boolean move) implements ImapCommand {}

  record Idle() implements ImapCommand {}
}
