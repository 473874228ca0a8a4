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
 */
final class SelectedMailbox implements AutoCloseable {
  private final MailFolder folder;
  private final boolean readOnly;
  private final List<MailMessage> view;
  private final MailFolder.Watch watch;
  private long version;
  private volatile boolean changed;
  private volatile Runnable onChange = () -> {};

  SelectedMailbox(MailFolder folder, boolean readOnly, FolderSnapshot snapshot) {
    this.folder = folder;
    this.readOnly = readOnly;
    this.view = new ArrayList<>(snapshot.messages());
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
    int low = 0;
    int high = view.size() - 1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      long at = view.get(mid).uid();
      if (at < uid) {
        low = mid + 1;
      } else if (at > uid) {
        high = mid - 1;
      } else {
        return mid + 1;
      }
    }
    return -1;
  }

  /** Called (from another thread) when the folder changes: IDLE wakes through this. */
  void onChange(Runnable listener) {
    onChange = listener;
  }

  /** Takes a message's new state into the view without telling the client (it was told already). */
  void replace(MailMessage message) {
    int sequence = sequenceOf(message.uid());
    if (sequence > 0) {
      view.set(sequence - 1, message);
    }
  }

  /** Removes a message the session has just reported expunged. */
  void removeAt(int sequence) {
    view.remove(sequence - 1);
  }

  /**
   * Brings the view up to date and writes what changed.
   *
   * @param allowExpunge false during FETCH, STORE and SEARCH (RFC 9051 section 7.5.1): expunged
   *     messages then stay in the view until a later command
   */
  void update(ResponseWriter out, boolean allowExpunge) throws IOException {
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
          view.remove(i);
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
        out.text(FetchRenderer.flags(now.flags())).text(")").crlf();
      }
      if (now != null) {
        view.set(i, now);
      }
    }
    long largest = largestUid();
    int before = view.size();
    for (MailMessage message : snapshot.messages()) {
      if (message.uid() > largest) {
        view.add(message);
      }
    }
    if (view.size() != before) {
      out.text("* ").number(view.size()).text(" EXISTS").crlf();
    }
    version = keptExpunged ? -1 : snapshot.version();
  }

  @Override
  public void close() {
    watch.close();
  }
}
