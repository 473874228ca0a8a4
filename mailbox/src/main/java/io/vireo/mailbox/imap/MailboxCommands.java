package io.vireo.mailbox.imap;

import io.vireo.mailbox.store.Flag;
import io.vireo.mailbox.store.FolderNames;
import io.vireo.mailbox.store.FolderSnapshot;
import io.vireo.mailbox.store.MailFolder;
import io.vireo.mailbox.store.MailboxException;
import io.vireo.mailbox.store.SpecialUse;
import io.vireo.mailbox.store.Stored;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/**
 * The commands about folders (RFC 9051 sections 6.3.1 to 6.3.12): SELECT, EXAMINE, CREATE,
 * DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE, LIST, LSUB, NAMESPACE, STATUS and APPEND.
 */
final class MailboxCommands {
  private static final String FLAGS = "(\\Answered \\Flagged \\Deleted \\Seen \\Draft)";

  private final SessionState session;

  MailboxCommands(SessionState session) {
    this.session = session;
  }

  /** The response code of a refused folder operation (RFC 5530). */
  static String code(MailboxException e) {
    return switch (e.reason()) {
      case NONEXISTENT -> "[NONEXISTENT] ";
      case ALREADY_EXISTS -> "[ALREADYEXISTS] ";
      case INVALID_NAME, CANNOT -> "[CANNOT] ";
      case UNSUPPORTED_USE -> "[USEATTR] ";
    };
  }

  /** Runs the command if it is one of these; false otherwise. */
  boolean run(String tag, ImapCommand command) throws IOException {
    ResponseWriter out = session.out;
    String user = session.user;
    switch (command) {
      case ImapCommand.Select select -> select(tag, select);
      case ImapCommand.Create create -> create(tag, create);
      case ImapCommand.Delete delete -> {
        String name = FolderNames.canonical(delete.mailbox());
        if (session.selected != null && session.selected.folder().name().equals(name)) {
          session.deselect();
        }
        session.store.deleteFolder(user, name);
        session.store.unsubscribe(user, name);
        out.tagged(tag, "OK DELETE completed");
      }
      case ImapCommand.Rename rename -> {
        session.store.renameFolder(user, rename.from(), rename.to());
        out.tagged(tag, "OK RENAME completed");
      }
      case ImapCommand.Subscribe subscribe -> {
        if (subscribe.subscribe()) {
          session.store.subscribe(user, subscribe.mailbox());
        } else {
          session.store.unsubscribe(user, subscribe.mailbox());
        }
        out.tagged(tag, "OK " + (subscribe.subscribe() ? "SUBSCRIBE" : "UNSUBSCRIBE") + " completed");
      }
      case ImapCommand.ListMailboxes list -> {
        new MailboxList(session).list(list);
        out.tagged(tag, "OK " + (list.lsub() ? "LSUB" : "LIST") + " completed");
      }
      case ImapCommand.Namespace n -> {
        // One personal namespace, no prefix, "." as separator (RFC 2342).
        out.untagged("NAMESPACE ((\"\" \".\")) NIL NIL");
        out.tagged(tag, "OK NAMESPACE completed");
      }
      case ImapCommand.Status status -> status(tag, status);
      case ImapCommand.Append append -> append(tag, append);
      default -> {
        return false;
      }
    }
    return true;
  }

  /**
   * The folder APPEND, COPY or MOVE put messages into, or null after answering {@code NO
   * [TRYCREATE]} when it does not exist (RFC 9051 section 6.3.12).
   */
  static MailFolder target(SessionState session, String tag, String mailbox) throws IOException {
    try {
      return session.store.folder(session.user, mailbox);
    } catch (MailboxException e) {
      if (e.reason() == MailboxException.Reason.NONEXISTENT) {
        session.out.tagged(tag, "NO [TRYCREATE] No such mailbox");
        return null;
      }
      throw e;
    }
  }

  /** CREATE, with CREATE-SPECIAL-USE's USE parameter (RFC 6154 section 3). */
  private void create(String tag, ImapCommand.Create create) throws IOException {
    Set<SpecialUse> uses = EnumSet.noneOf(SpecialUse.class);
    for (String attribute : create.uses()) {
      SpecialUse use = SpecialUse.ofImapName(attribute);
      if (use == null) {
        session.out.tagged(tag, "NO [USEATTR] " + attribute + " is not a special use");
        return;
      }
      uses.add(use);
    }
    session.store.createFolder(session.user, stripSeparator(create.mailbox()), uses);
    session.out.tagged(tag, "OK CREATE completed");
  }

  private static String stripSeparator(String name) {
    // RFC 9051 section 6.3.4: a trailing separator only says the client means to create children.
    return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
  }

  private void select(String tag, ImapCommand.Select select) throws IOException {
    session.deselect();
    session.condstore |= select.condstore();
    MailFolder folder = session.store.folder(session.user, select.mailbox());
    FolderSnapshot snapshot = select.readOnly() ? folder.refresh() : folder.claimNew();
    SelectedMailbox selected = new SelectedMailbox(folder, select.readOnly(), snapshot);
    ResponseWriter out = session.out;
    out.untagged("FLAGS " + FLAGS);
    out.untagged(
        "OK [PERMANENTFLAGS " + (select.readOnly() ? "()" : FLAGS) + "] Flags permitted");
    out.untagged(selected.size() + " EXISTS");
    if (!session.rev2) {
      out.untagged("0 RECENT");
      for (int i = 1; i <= selected.size(); i++) {
        if (!selected.at(i).has(Flag.SEEN)) {
          out.untagged("OK [UNSEEN " + i + "] First unseen");
          break;
        }
      }
    }
    out.untagged("OK [UIDVALIDITY " + snapshot.uidValidity() + "] UIDs valid");
    out.untagged("OK [UIDNEXT " + snapshot.uidNext() + "] Predicted next UID");
    // RFC 7162 section 3.1.2.1: sent on every SELECT and EXAMINE, CONDSTORE on or not.
    out.untagged("OK [HIGHESTMODSEQ " + snapshot.highestModSeq() + "] Highest");
    session.selected = selected;
    out.tagged(
        tag,
        "OK [" + (select.readOnly() ? "READ-ONLY" : "READ-WRITE") + "] "
            + (select.readOnly() ? "EXAMINE" : "SELECT") + " completed");
  }

  private void status(String tag, ImapCommand.Status status) throws IOException {
    MailFolder folder = session.store.folder(session.user, status.mailbox());
    FolderSnapshot snapshot = folder.refresh();
    StringBuilder items = new StringBuilder();
    for (String item : status.items()) {
      long value =
          switch (item) {
            case "MESSAGES" -> snapshot.messages().size();
            case "UIDNEXT" -> snapshot.uidNext();
            case "UIDVALIDITY" -> snapshot.uidValidity();
            case "UNSEEN" -> count(snapshot, Flag.SEEN, false);
            case "DELETED" -> count(snapshot, Flag.DELETED, true);
            case "SIZE" -> snapshot.totalSize();
            case "HIGHESTMODSEQ" -> snapshot.highestModSeq();
            default -> 0; // RECENT: nothing is recent here
          };
      items.append(items.isEmpty() ? "" : " ").append(item).append(' ').append(value);
    }
    session.out.text("* STATUS ").string(folder.name()).text(" (").text(items.toString()).text(")").crlf();
    session.out.tagged(tag, "OK STATUS completed");
  }

  private static long count(FolderSnapshot snapshot, Flag flag, boolean set) {
    return snapshot.messages().stream().filter(m -> m.has(flag) == set).count();
  }

  /** APPEND: stored durably, then APPENDUID (RFC 4315); a missing folder gets TRYCREATE. */
  private void append(String tag, ImapCommand.Append append) throws IOException {
    MailFolder folder = target(session, tag, append.mailbox());
    if (folder == null) {
      return;
    }
    Instant date = append.date() != null ? append.date() : session.settings.clock().instant();
    Stored stored = folder.append(new ByteArrayInputStream(append.content()), append.flags(), date);
    ImapSession.updateSelected(session, true);
    session.out.tagged(
        tag, "OK [APPENDUID " + stored.uidValidity() + " " + stored.uid() + "] APPEND completed");
  }
}
