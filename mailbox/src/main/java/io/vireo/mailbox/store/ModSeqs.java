package io.vireo.mailbox.store;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gives a folder's messages their CONDSTORE mod-sequences (RFC 7162 section 3.1) and keeps them in
 * the {@link ModSeqLog}: a message gets the folder's next mod-sequence when it arrives and whenever
 * its flags change, an expunge takes one of its own; one change of several messages shares one.
 * Called by {@link MailFolder} under its lock.
 */
final class ModSeqs {
  private final ModSeqLog log;

  ModSeqs(Path dir) {
    this.log = new ModSeqLog(dir);
  }

  /**
   * A scanned state with mod-sequences: those of {@code before} (or, on the first load, of the
   * file) for messages whose flags are as they were, the next one for the rest (new, or changed by
   * another program), and the next one as the highest when messages went.
   */
  FolderSnapshot afterScan(FolderSnapshot before, FolderSnapshot scanned) throws IOException {
    Map<Long, ModSeqLog.Entry> known = Map.of();
    long highest;
    boolean rewrite = false;
    if (before != null) {
      highest = before.highestModSeq();
    } else {
      ModSeqLog.Contents file = log.read();
      highest = file == null ? 0 : file.highest();
      if (file == null || file.uidValidity() != scanned.uidValidity()) {
        rewrite = true; // none yet, or the UIDs were renumbered: only the highest carries over
      } else {
        known = file.entries();
      }
    }
    long next = highest + 1;
    List<MailMessage> messages = new ArrayList<>(scanned.messages().size());
    List<MailMessage> changed = new ArrayList<>();
    Set<Long> gone = new HashSet<>();
    if (before != null) {
      for (MailMessage was : before.messages()) {
        if (scanned.byUid(was.uid()) == null) {
          gone.add(was.uid());
        }
      }
    } else {
      gone.addAll(known.keySet());
    }
    for (MailMessage message : scanned.messages()) {
      gone.remove(message.uid());
      MailMessage was = before != null ? before.byUid(message.uid()) : null;
      ModSeqLog.Entry entry = was != null ? new ModSeqLog.Entry(was.modSeq(), was.flags()) : known.get(message.uid());
      if (entry != null && entry.modSeq() > 0 && entry.flags().equals(message.flags())) {
        messages.add(message.withModSeq(entry.modSeq()));
      } else {
        MailMessage stamped = message.withModSeq(next);
        changed.add(stamped);
        messages.add(stamped);
      }
    }
    boolean anyChange = !changed.isEmpty() || !gone.isEmpty() || rewrite;
    FolderSnapshot after =
        new FolderSnapshot(
            scanned.uidValidity(), scanned.uidNext(), scanned.version(), messages, anyChange ? next : highest);
    if (rewrite) {
      log.rewrite(after);
    } else if (anyChange) {
      append(changed, gone, next, after);
    }
    return after;
  }

  /** Records messages that arrived or whose flags changed, already given their mod-sequence. */
  void changed(Collection<MailMessage> messages, FolderSnapshot after) throws IOException {
    append(messages, List.of(), 0, after);
  }

  /** Records an expunge that took mod-sequence {@code modSeq}. */
  void expunged(Collection<Long> uids, long modSeq, FolderSnapshot after) throws IOException {
    append(List.of(), uids, modSeq, after);
  }

  /**
   * Appends, or writes the file whole from {@code after} when it is too long or gone (deleted by
   * hand while the folder was loaded: the state in memory is the truth, so nothing is lost).
   */
  private void append(
      Collection<MailMessage> changed, Collection<Long> expunged, long expungedAt, FolderSnapshot after)
      throws IOException {
    try {
      log.append(changed, expunged, expungedAt);
    } catch (NoSuchFileException e) {
      log.rewrite(after);
      return;
    }
    if (log.wasteful(after.messages().size())) {
      log.rewrite(after);
    }
  }
}
