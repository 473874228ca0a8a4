package io.vireo.mailbox.pop3;

import io.vireo.mailbox.store.FolderSnapshot;
import io.vireo.mailbox.store.MailFolder;
import io.vireo.mailbox.store.MailMessage;
import io.vireo.mailbox.store.MailStore;
import io.vireo.mailbox.store.MailboxException;
import io.vireo.mailbox.store.MaildropLock;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One POP3 session's maildrop: the user's INBOX as it was when the session entered the
 * TRANSACTION state, held under the store's exclusive maildrop lock (RFC 1939 section 8), with the
 * session's deletion marks. Message numbers stay fixed for the session (section 5); messages
 * marked deleted are only removed by {@link #update()}, in the UPDATE state after QUIT.
 */
final class Maildrop implements AutoCloseable {
  /** What opening a maildrop came to. */
  sealed interface Opening {
    record Opened(Maildrop maildrop) implements Opening {}

    /** Another POP3 session holds the lock. */
    record InUse() implements Opening {}
  }

  private final MaildropLock lock;
  private final Optional<MailFolder> folder; // empty: the user has no Maildir yet
  private final FolderSnapshot snapshot;
  private final BitSet deleted = new BitSet();

  private Maildrop(MaildropLock lock, Optional<MailFolder> folder, FolderSnapshot snapshot) {
    this.lock = lock;
    this.folder = folder;
    this.snapshot = snapshot;
  }

  static Opening open(MailStore store, String user) throws IOException {
    Optional<MaildropLock> lock = store.tryLockMaildrop(user);
    if (lock.isEmpty()) {
      return new Opening.InUse();
    }
    try {
      if (!store.exists(user)) {
        return new Opening.Opened(
            new Maildrop(lock.get(), Optional.empty(), new FolderSnapshot(1, 1, 0, List.of(), 0)));
      }
      MailFolder inbox = store.folder(user, "INBOX");
      return new Opening.Opened(new Maildrop(lock.get(), Optional.of(inbox), inbox.refresh()));
    } catch (IOException | RuntimeException e) {
      lock.get().close();
      throw e;
    }
  }

  /** Messages not marked deleted. */
  int count() {
    return snapshot.messages().size() - deleted.cardinality();
  }

  /** Their octets, as served (CRLF line ends). */
  long octets() {
    long total = 0;
    for (int i = 0; i < snapshot.messages().size(); i++) {
      if (!deleted.get(i)) {
        total += snapshot.messages().get(i).size();
      }
    }
    return total;
  }

  /** Message numbers 1..size, deleted ones included (they keep their numbers). */
  int size() {
    return snapshot.messages().size();
  }

  boolean exists(int number) {
    return number >= 1 && number <= size();
  }

  boolean isDeleted(int number) {
    return deleted.get(number - 1);
  }

  MailMessage message(int number) {
    return snapshot.messages().get(number - 1);
  }

  void markDeleted(int number) {
    deleted.set(number - 1);
  }

  /** RSET: every mark goes. */
  void unmarkAll() {
    deleted.clear();
  }

  /**
   * The message as stored: {@link MessageWriter} ends every line with CRLF itself, so a file with
   * bare LF line ends is not converted twice.
   */
  InputStream content(int number) throws IOException {
    return folder.orElseThrow().openStored(message(number));
  }

  /**
   * RFC 1939 section 7's unique-id: the message's UID and the folder's UIDVALIDITY, as Dovecot's
   * default {@code %08Xu%08Xv}, so it stays the same across sessions and restarts, and a client
   * moving from Dovecot to Vireo on the same Maildir does not download everything again.
   */
  String uniqueId(int number) {
    return String.format(Locale.ROOT, "%08X%08X", message(number).uid(), snapshot.uidValidity());
  }

  /**
   * The UPDATE state: removes the messages marked deleted. A message another client removed
   * meanwhile is simply gone already.
   */
  void update() throws IOException {
    if (deleted.isEmpty() || folder.isEmpty()) {
      return;
    }
    List<Long> uids = new ArrayList<>();
    deleted.stream().forEach(i -> uids.add(snapshot.messages().get(i).uid()));
    folder.get().expunge(uids);
  }

  /** Releases the maildrop lock. */
  @Override
  public void close() {
    lock.close();
  }

  static boolean isGone(IOException e) {
    return e instanceof java.nio.file.NoSuchFileException
        || (e instanceof MailboxException m && m.reason() == MailboxException.Reason.NONEXISTENT);
  }
}
