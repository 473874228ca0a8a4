package io.vireo.mailbox.imap;

import io.vireo.mailbox.store.FolderSnapshot;
import io.vireo.mailbox.store.MailFolder;
import io.vireo.mailbox.store.MailMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The selected folder as one session sees it: its own numbering of the messages (sequence number
 * n is {@code view.get(n - 1)}), which changes only when the session tells its client. After each
 * command the view is brought up to date with the shared folder and the differences are written as
 * untagged EXPUNGE, EXISTS and FETCH FLAGS (RFC 9051 section 7.5.1), EXPUNGE only when allowed.
 * The view starts as the snapshot's own immutable list, shared with every session that selected
 * the same snapshot, and is copied only when this session's numbering first differs from it: an
 * idle session on a 10,000-message folder holds no list of its own.
 */
final class SelectedMailbox implements AutoCloseable {
  private final MailFolder folder;
  private final boolean readOnly;
  private List<MailMessage> view;
  private boolean ownView;
  private final MailFolder.Watch watch;
  private long version;
  private volatile boolean changed;
  private volatile Runnable onChange = () -> {};

  SelectedMailbox(MailFolder folder, boolean readOnly, FolderSnapshot snapshot) {
    this.folder = folder;
    this.readOnly = readOnly;
    this.view = snapshot.messages();
    this.version = snapshot.version();
    this.watch =
        folder.watch(
            () -> {
              changed = true;
              onChange.run();
            });
  }

  MailFolder folder() {
    return folder;
  }

  boolean readOnly() {
    return readOnly;
  }

  int size() {
    return view.size();
  }

  MailMessage at(int sequence) {
    return view.get(sequence - 1);
  }

  long largestUid() {
    return view.isEmpty() ? 0 : view.getLast().uid();
  }

  /** The sequence number of a UID in this view, or -1. */
  int sequenceOf(long uid) {
    int index = FolderSnapshot.indexOfUid(view, uid);
    return index < 0 ? -1 : index + 1;
  }

  /** The view, copied first if it is still the shared snapshot's list. */
  private List<MailMessage> mutableView() {
    if (!ownView) {
      view = new ArrayList<>(view);
      ownView = true;
    }
    return view;
  }

  /** Called (from another thread) when the folder changes: IDLE wakes through this. */
  void onChange(Runnable listener) {
    onChange = listener;
  }

  /** Takes a message's new state into the view without telling the client (it was told already). */
  void replace(MailMessage message) {
    int sequence = sequenceOf(message.uid());
    if (sequence > 0 && view.get(sequence - 1) != message) {
      mutableView().set(sequence - 1, message);
    }
  }

  /** Removes a message the session has just reported expunged. */
  void removeAt(int sequence) {
    mutableView().remove(sequence - 1);
  }

  /**
   * Brings the view up to date and writes what changed.
   *
   * @param allowExpunge false during FETCH, STORE and SEARCH (RFC 9051 section 7.5.1): expunged
   *     messages then stay in the view until a later command
   * @param withModSeq CONDSTORE is on: flag changes carry MODSEQ (RFC 7162 section 3.1.4.1)
   */
  void update(ResponseWriter out, boolean allowExpunge, boolean withModSeq) throws IOException {
    FolderSnapshot snapshot = folder.refresh();
    if (snapshot.version() == version && !changed) {
      return;
    }
    changed = false;
    boolean keptExpunged = false;
    // Expunged: from the highest number down, so the numbers still to report stay valid.
    for (int i = view.size() - 1; i >= 0; i--) {
      if (snapshot.byUid(view.get(i).uid()) == null) {
        if (allowExpunge) {
          mutableView().remove(i);
          out.text("* ").number(i + 1).text(" EXPUNGE").crlf();
        } else {
          keptExpunged = true;
        }
      }
    }
    for (int i = 0; i < view.size(); i++) {
      MailMessage mine = view.get(i);
      MailMessage now = snapshot.byUid(mine.uid());
      if (now != null && !now.flags().equals(mine.flags())) {
        out.text("* ").number(i + 1).text(" FETCH (UID ").number(now.uid()).text(" FLAGS ");
        out.text(FetchRenderer.flags(now.flags()));
        if (withModSeq) {
          out.text(" MODSEQ (").number(now.modSeq()).text(")");
        }
        out.text(")").crlf();
      }
      if (now != null && now != mine) {
        mutableView().set(i, now);
      }
    }
    long largest = largestUid();
    int before = view.size();
    for (MailMessage message : snapshot.messages()) {
      if (message.uid() > largest) {
        mutableView().add(message);
      }
    }
    if (view.size() != before) {
      out.text("* ").number(view.size()).text(" EXISTS").crlf();
    }
    if (!keptExpunged && ownView && sameMessages(view, snapshot.messages())) {
      view = snapshot.messages(); // in step with the folder again: share its list
      ownView = false;
    }
    version = keptExpunged ? -1 : snapshot.version();
  }

  private static boolean sameMessages(List<MailMessage> a, List<MailMessage> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (a.get(i) != b.get(i)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() {
    watch.close();
  }
}
