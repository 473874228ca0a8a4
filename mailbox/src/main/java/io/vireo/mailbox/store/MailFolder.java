package io.vireo.mailbox.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.UnaryOperator;

/**
 * One Maildir folder of one user, shared by every session of the process that has it open: the store
 * hands out one instance per folder. Every change (delivery, flags, expunge, copy) runs under the
 * folder's lock, produces a new {@link FolderSnapshot} and then wakes the listeners, so one IMAP
 * session learns of another's changes (and IDLE wakes) without polling. Changes made by another
 * program (Dovecot's LDA, a mail client on the files) are picked up by {@link #refresh()}, which
 * rescans only when the {@code new/} or {@code cur/} directory changed.
 */
public final class MailFolder {
  /** A registered listener; closing it stops the calls. */
  public interface Watch extends AutoCloseable {
    @Override
    void close();
  }

  /** A message copied by {@link #copyTo}: its UID here and its UID in the target. */
  public record Copied(long sourceUid, long targetUid) {}

  private final MailStore store;
  private final String user;
  private final String name;
  private final Path dir;
  private final UidList uidList;
  private final ReentrantLock lock = new ReentrantLock();
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private final FolderScanner scanner;
  private final ModSeqs modSeqs;
  private volatile FolderSnapshot snapshot;
  private FileTime newSeen;
  private FileTime curSeen;

  MailFolder(MailStore store, String user, String name, Path dir) {
    this.store = store;
    this.user = user;
    this.name = name;
    this.dir = dir;
    this.uidList = new UidList(dir, store.clock());
    this.scanner = new FolderScanner(dir, uidList, store.clock());
    this.modSeqs = new ModSeqs(dir);
  }

  public String user() {
    return user;
  }

  public String name() {
    return name;
  }

  /** The current state, loaded from disk on first use. */
  public FolderSnapshot snapshot() throws IOException {
    FolderSnapshot current = snapshot;
    return current != null ? current : refresh();
  }

  /** Rescans the folder if another program changed its directories since the last look. */
  public FolderSnapshot refresh() throws IOException {
    boolean changed;
    lock.lock();
    try {
      FolderSnapshot before = snapshot;
      if (before != null && !dirsChanged()) {
        return before;
      }
      FolderSnapshot after = modSeqs.afterScan(before, scanner.scan(before));
      changed = before != null && after.version() != before.version();
      if (before != null) {
        store.adjustUsage(user, after.totalSize() - before.totalSize());
      }
      publish(after);
    } finally {
      lock.unlock();
    }
    if (changed) {
      notifyListeners();
    }
    return snapshot;
  }

  /**
   * Stores a message durably (tmp/, fsync, rename into new/ or, with flags, cur/, fsync of the
   * directory) and gives it the next UID.
   */
  public Stored append(InputStream content, Set<Flag> flags, Instant internalDate) throws IOException {
    long uidNextBefore = snapshot().uidNext();
    MaildirWriter.Placed placed = new MaildirWriter(dir, store).write(content, flags, internalDate);
    long uid = adopt(List.of(placed), uidNextBefore).getFirst();
    return new Stored(name, snapshot.uidValidity(), uid, placed.size());
  }

  /** Moves the messages still in {@code new/} to {@code cur/}: a session has now seen them. */
  public FolderSnapshot claimNew() throws IOException {
    snapshot();
    List<Long> fresh = new ArrayList<>();
    for (MailMessage message : snapshot.messages()) {
      if (message.inNew()) {
        fresh.add(message.uid());
      }
    }
    return fresh.isEmpty() ? snapshot : updateFlags(fresh, UnaryOperator.identity());
  }

  /**
   * Changes the flags of these messages by renaming their files (the flags live in the name); a
   * message that is also still in {@code new/} moves to {@code cur/}. One new snapshot for the lot.
   */
  public FolderSnapshot updateFlags(Collection<Long> uids, UnaryOperator<Set<Flag>> change)
      throws IOException {
    return updateFlags(uids, change, -1, new ArrayList<>());
  }

  /**
   * {@link #updateFlags(Collection, UnaryOperator)} for CONDSTORE's conditional STORE (RFC 7162
   * section 3.1.3): a message whose mod-sequence is above {@code unchangedSince} (unless it is -1)
   * is left as it is and its UID added to {@code modified}; the test and the change are one step
   * under the folder's lock.
   */
  public FolderSnapshot updateFlags(
      Collection<Long> uids, UnaryOperator<Set<Flag>> change, long unchangedSince, Collection<Long> modified)
      throws IOException {
    snapshot();
    boolean changed = false;
    lock.lock();
    try {
      List<MailMessage> messages = new ArrayList<>(snapshot.messages());
      long modSeq = snapshot.highestModSeq() + 1;
      List<MailMessage> stamped = new ArrayList<>();
      for (long uid : uids) {
        int at = snapshot.indexOfUid(uid);
        if (at < 0) {
          continue;
        }
        MailMessage before = messages.get(at);
        if (unchangedSince >= 0 && before.modSeq() > unchangedSince) {
          modified.add(uid);
          continue;
        }
        Set<Flag> flags = Flag.copyOf(change.apply(Flag.copyOf(before.flags())));
        if (flags.equals(before.flags()) && !before.inNew()) {
          continue;
        }
        boolean flagsChanged = !flags.equals(before.flags());
        MailMessage after = before.withFlags(flags);
        try {
          Files.move(path(before), path(after), StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException goneOrRenamedElsewhere) {
          continue;
        }
        if (flagsChanged) {
          after = after.withModSeq(modSeq); // new/ to cur/ alone is no change a client sees
          stamped.add(after);
        }
        messages.set(at, after);
        changed = true;
      }
      if (changed) {
        FolderSnapshot next = next(snapshot.uidNext(), messages, stamped.isEmpty() ? 0 : modSeq);
        if (!stamped.isEmpty()) {
          modSeqs.changed(stamped, next);
        }
        publish(next);
      }
    } finally {
      lock.unlock();
    }
    if (changed) {
      notifyListeners();
    }
    return snapshot;
  }

  /** Deletes these messages' files for good; returns the UIDs that were there to delete. */
  public List<Long> expunge(Collection<Long> uids) throws IOException {
    snapshot();
    List<Long> expunged = new ArrayList<>();
    lock.lock();
    try {
      Set<Long> doomed = new HashSet<>(uids);
      List<MailMessage> kept = new ArrayList<>(snapshot.messages().size());
      long freed = 0;
      for (MailMessage message : snapshot.messages()) {
        if (doomed.contains(message.uid())) {
          Files.deleteIfExists(path(message));
          expunged.add(message.uid());
          freed += message.size();
        } else {
          kept.add(message);
        }
      }
      if (!expunged.isEmpty()) {
        long modSeq = snapshot.highestModSeq() + 1;
        FolderSnapshot after = next(snapshot.uidNext(), kept, modSeq);
        uidList.write(scanner.contents(after));
        modSeqs.expunged(expunged, modSeq, after);
        store.adjustUsage(user, -freed);
        publish(after);
      }
    } finally {
      lock.unlock();
    }
    if (!expunged.isEmpty()) {
      notifyListeners();
    }
    return expunged;
  }

  /**
   * Copies messages into {@code target} (a hard link where the file system allows: Maildir files
   * never change, so two names may share one file), keeping their flags; UIDPLUS's COPYUID needs the
   * pairs returned, in the order given.
   */
  public List<Copied> copyTo(MailFolder target, List<Long> uids) throws IOException {
    snapshot();
    long targetNextBefore = target.snapshot().uidNext();
    List<MaildirWriter.Placed> placed = new ArrayList<>();
    List<Long> sources = new ArrayList<>();
    for (long uid : uids) {
      MailMessage source = snapshot.byUid(uid);
      if (source == null) {
        continue;
      }
      MaildirWriter.Placed copy = new MaildirWriter(target.dir, store).link(path(source), source);
      if (copy != null) {
        placed.add(copy);
        sources.add(uid);
      }
    }
    List<Long> assigned = target.adopt(placed, targetNextBefore);
    List<Copied> copied = new ArrayList<>(assigned.size());
    for (int i = 0; i < assigned.size(); i++) {
      copied.add(new Copied(sources.get(i), assigned.get(i)));
    }
    return copied;
  }

  /**
   * The message's content as served (CRLF line ends), streamed from its file. The file is opened
   * under the lock, so a concurrent flag change (a rename) cannot make it vanish in between; once
   * open, the content stays readable even if the message is expunged meanwhile.
   *
   * @throws NoSuchFileException when the message is gone (expunged by another session or program)
   */
  public InputStream open(MailMessage message) throws IOException {
    InputStream raw = openStored(message);
    return message.lfEndings() ? new CrlfInputStream(raw) : raw;
  }

  /**
   * The message's file as stored, line ends as they are (bare LF in a file Dovecot's LDA wrote),
   * for a reader that makes every line end CRLF itself (POP3's dot-stuffing writer): one pass over
   * the octets instead of two. Opened under the lock, as {@link #open}.
   *
   * @throws NoSuchFileException when the message is gone
   */
  public InputStream openStored(MailMessage message) throws IOException {
    lock.lock();
    try {
      MailMessage current = snapshot().byUid(message.uid());
      if (current == null) {
        throw new NoSuchFileException(message.baseName());
      }
      return Files.newInputStream(path(current));
    } finally {
      lock.unlock();
    }
  }

  /** Calls {@code listener} after every change, from the changing thread; it must be quick. */
  public Watch watch(Runnable listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  /**
   * Gives placed files (already in new/ or cur/) their UIDs, in order, and records them. A rescan
   * may have found a file between its placing and now (its rename changed the directory): such a
   * file keeps the UID the scan gave it, among those from {@code uidNextBefore} on.
   */
  private List<Long> adopt(List<MaildirWriter.Placed> placed, long uidNextBefore) throws IOException {
    if (placed.isEmpty()) {
      return List.of();
    }
    List<Long> uids = new ArrayList<>(placed.size());
    lock.lock();
    try {
      long nextUid = snapshot.uidNext();
      long modSeq = snapshot.highestModSeq() + 1;
      List<MailMessage> messages = new ArrayList<>(snapshot.messages());
      List<MailMessage> numberedNow = new ArrayList<>();
      Map<String, Long> scanned = new HashMap<>();
      for (int i = messages.size() - 1; i >= 0 && messages.get(i).uid() >= uidNextBefore; i--) {
        scanned.put(messages.get(i).baseName(), messages.get(i).uid());
      }
      Map<String, Long> lines = new LinkedHashMap<>();
      long added = 0;
      for (MaildirWriter.Placed message : placed) {
        Long already = scanned.get(message.baseName());
        if (already != null) {
          uids.add(already);
          continue;
        }
        MailMessage numbered =
            new MailMessage(
                nextUid,
                message.baseName(),
                message.inNew(),
                message.flags(),
                message.otherInfo(),
                message.size(),
                message.lfEndings(),
                message.internalDate(),
                modSeq);
        messages.add(numbered);
        numberedNow.add(numbered);
        lines.put(numbered.baseName(), nextUid);
        uids.add(nextUid++);
        added += numbered.size();
      }
      if (!lines.isEmpty()) {
        uidList.append(lines);
      }
      store.adjustUsage(user, added);
      FolderSnapshot next = next(nextUid, messages, numberedNow.isEmpty() ? 0 : modSeq);
      if (!numberedNow.isEmpty()) {
        modSeqs.changed(numberedNow, next);
      }
      publish(next);
    } finally {
      lock.unlock();
    }
    notifyListeners();
    return uids;
  }

  /** The next state; {@code modSeq} is the new highest mod-sequence, or 0 to keep the current one. */
  private FolderSnapshot next(long uidNext, List<MailMessage> messages, long modSeq) {
    long highest = modSeq > 0 ? modSeq : snapshot.highestModSeq();
    return new FolderSnapshot(snapshot.uidValidity(), uidNext, snapshot.version() + 1, messages, highest);
  }

  /** Makes a new state current and notes the directories' times, so our own change is not rescanned. */
  private void publish(FolderSnapshot next) throws IOException {
    snapshot = next;
    newSeen = modified(dir.resolve("new"));
    curSeen = modified(dir.resolve("cur"));
  }

  private boolean dirsChanged() throws IOException {
    return !modified(dir.resolve("new")).equals(newSeen) || !modified(dir.resolve("cur")).equals(curSeen);
  }

  private static FileTime modified(Path path) throws IOException {
    try {
      return Files.getLastModifiedTime(path);
    } catch (NoSuchFileException e) {
      throw new MailboxException(MailboxException.Reason.NONEXISTENT, "no such folder: " + path);
    }
  }

  Path path(MailMessage message) {
    return dir.resolve(message.inNew() ? "new" : "cur").resolve(message.fileName());
  }

  Path dir() {
    return dir;
  }

  private void notifyListeners() {
    for (Runnable listener : listeners) {
      try {
        listener.run();
      } catch (RuntimeException e) {
        // One session's listener failing must not stop the others from hearing of the change.
      }
    }
  }
}
