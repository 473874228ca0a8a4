package io.vireo.mailbox.imap;

import io.vireo.mailbox.store.Flag;
import io.vireo.mailbox.store.FolderSnapshot;
import io.vireo.mailbox.store.MailFolder;
import io.vireo.mailbox.store.MailMessage;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The commands of the selected state (RFC 9051 sections 6.4.1 to 6.4.9): CHECK, CLOSE, UNSELECT,
 * EXPUNGE, SEARCH, FETCH, STORE, COPY, MOVE and their UID forms.
 */
final class MessageCommands {
  private final SessionState session;

  MessageCommands(SessionState session) {
    this.session = session;
  }

  void run(String tag, ImapCommand command) throws IOException {
    ResponseWriter out = session.out;
    SelectedMailbox selected = session.selected;
    if (selected == null) {
      out.tagged(tag, "BAD No mailbox selected");
      return;
    }
    switch (command) {
      case ImapCommand.Check c -> {
        ImapSession.updateSelected(session, true);
        out.tagged(tag, "OK CHECK completed");
      }
      case ImapCommand.Close c -> {
        if (!selected.readOnly()) {
          selected.folder().expunge(deleted(selected, null));
        }
        session.deselect();
        out.tagged(tag, "OK CLOSE completed");
      }
      case ImapCommand.Unselect u -> {
        session.deselect();
        out.tagged(tag, "OK UNSELECT completed");
      }
      case ImapCommand.Expunge expunge -> expunge(tag, selected, expunge.uids());
      case ImapCommand.Search search -> search(tag, selected, search);
      case ImapCommand.Fetch fetch -> fetch(tag, selected, fetch);
      case ImapCommand.Store store -> store(tag, selected, store);
      case ImapCommand.Copy copy -> copy(tag, selected, copy);
      default -> out.tagged(tag, "BAD Command not allowed here");
    }
  }

  /** The sequence numbers a set names in this view, ascending; UID sets name UIDs. */
  static List<Integer> resolve(SelectedMailbox selected, SequenceSet set, boolean uid) {
    List<Integer> sequences = new ArrayList<>();
    long largest = uid ? selected.largestUid() : selected.size();
    for (int i = 1; i <= selected.size(); i++) {
      if (set.contains(uid ? selected.at(i).uid() : i, largest)) {
        sequences.add(i);
      }
    }
    return sequences;
  }

  private static List<Long> uidsOf(SelectedMailbox selected, List<Integer> sequences) {
    List<Long> uids = new ArrayList<>(sequences.size());
    sequences.forEach(s -> uids.add(selected.at(s).uid()));
    return uids;
  }

  /** UIDs of messages now marked \Deleted, limited to {@code within} when given (UID EXPUNGE). */
  private static List<Long> deleted(SelectedMailbox selected, SequenceSet within) throws IOException {
    FolderSnapshot snapshot = selected.folder().snapshot();
    List<Long> uids = new ArrayList<>();
    for (MailMessage message : snapshot.messages()) {
      if (message.has(Flag.DELETED)
          && (within == null || within.contains(message.uid(), snapshot.uidNext() - 1))) {
        uids.add(message.uid());
      }
    }
    return uids;
  }

  private void expunge(String tag, SelectedMailbox selected, SequenceSet uids) throws IOException {
    if (selected.readOnly()) {
      session.out.tagged(tag, "NO [READ-ONLY] Mailbox is read-only");
      return;
    }
    List<Long> expunged = selected.folder().expunge(deleted(selected, uids));
    reportExpunged(selected, expunged);
    ImapSession.updateSelected(session, true);
    session.out.tagged(tag, "OK EXPUNGE completed");
  }

  private void reportExpunged(SelectedMailbox selected, List<Long> expunged) throws IOException {
    Set<Long> gone = new HashSet<>(expunged);
    for (int sequence = selected.size(); sequence >= 1; sequence--) {
      if (gone.contains(selected.at(sequence).uid())) {
        session.out.text("* ").number(sequence).text(" EXPUNGE").crlf();
        selected.removeAt(sequence);
      }
    }
  }

  private void search(String tag, SelectedMailbox selected, ImapCommand.Search search) throws IOException {
    SearchEvaluator evaluator =
        new SearchEvaluator(selected.folder(), selected.size(), selected.largestUid(), session.fetchCache);
    List<Long> found = new ArrayList<>();
    long highest = 0;
    for (int i = 1; i <= selected.size(); i++) {
      MailMessage message = selected.at(i);
      try {
        if (evaluator.matches(search.key(), i, message)) {
          found.add(search.uid() ? message.uid() : i);
          highest = Math.max(highest, message.modSeq());
        }
      } catch (NoSuchFileException expungedMeanwhile) {
        // RFC 9051 section 7.4.1: a message expunged by another session simply does not match.
      }
    }
    ResponseWriter out = session.out;
    // RFC 7162 section 3.1.5: a search by MODSEQ answers with the highest of the messages found.
    if (SearchParser.usesModSeq(search.key())) {
      session.condstore = true;
    } else {
      highest = 0;
    }
    if (search.returnOptions() != null || session.rev2) {
      List<String> options = search.returnOptions() != null ? search.returnOptions() : List.of("ALL");
      out.text("* ESEARCH (TAG ").string(tag).text(")").text(search.uid() ? " UID" : "");
      if (!found.isEmpty() && options.contains("MIN")) {
        out.text(" MIN ").number(found.getFirst());
      }
      if (!found.isEmpty() && options.contains("MAX")) {
        out.text(" MAX ").number(found.getLast());
      }
      if (options.contains("COUNT")) {
        out.text(" COUNT ").number(found.size());
      }
      if (!found.isEmpty() && options.contains("ALL")) {
        out.text(" ALL ").text(compress(found));
      }
      if (highest > 0) {
        out.text(" MODSEQ ").number(highest);
      }
      out.crlf();
    } else {
      out.text("* SEARCH");
      for (long each : found) {
        out.text(" ").number(each);
      }
      if (highest > 0) {
        out.text(" (MODSEQ ").number(highest).text(")");
      }
      out.crlf();
    }
    ImapSession.updateSelected(session, search.uid());
    out.tagged(tag, "OK SEARCH completed");
  }

  private void fetch(String tag, SelectedMailbox selected, ImapCommand.Fetch fetch) throws IOException {
    List<Integer> sequences = resolve(selected, fetch.set(), fetch.uid());
    List<FetchAttribute> attributes = fetch.attributes();
    if (fetch.changedSince() >= 0) {
      // RFC 7162 section 3.1.4.1: only messages changed since, and MODSEQ is implied.
      sequences = sequences.stream().filter(s -> selected.at(s).modSeq() > fetch.changedSince()).toList();
      session.condstore = true;
    }
    boolean marksSeen =
        !selected.readOnly()
            && attributes.stream().anyMatch(a -> a instanceof FetchAttribute.Body body && !body.peek());
    if (marksSeen) {
      // RFC 9051 section 6.4.5: BODY[...] without PEEK sets \Seen, and the FLAGS go with it.
      List<Long> unseen = new ArrayList<>();
      for (int s : sequences) {
        if (!selected.at(s).has(Flag.SEEN)) {
          unseen.add(selected.at(s).uid());
        }
      }
      if (!unseen.isEmpty()) {
        FolderSnapshot snapshot = selected.folder().updateFlags(unseen, flags -> add(flags, Flag.SEEN));
        for (long uid : unseen) {
          MailMessage now = snapshot.byUid(uid);
          if (now != null) {
            selected.replace(now);
          }
        }
        if (attributes.stream().noneMatch(a -> a instanceof FetchAttribute.Flags)) {
          attributes = new ArrayList<>(attributes);
          attributes.add(new FetchAttribute.Flags());
        }
      }
    }
    attributes = withModSeq(attributes, fetch.changedSince() >= 0);
    boolean needsEnvelope = attributes.stream().anyMatch(a -> a instanceof FetchAttribute.Envelope);
    List<Boolean> structures =
        attributes.stream()
            .filter(a -> a instanceof FetchAttribute.BodyStructure)
            .map(a -> ((FetchAttribute.BodyStructure) a).extensible())
            .distinct()
            .toList();
    boolean gone = false;
    for (int s : sequences) {
      MessageContent content = new MessageContent(selected.folder(), selected.at(s), session.fetchCache);
      try {
        // Read what can fail before the response starts, so a vanished file never cuts one short.
        if (needsEnvelope) {
          content.envelope();
        }
        for (boolean extensible : structures) {
          content.bodyStructure(extensible);
        }
      } catch (NoSuchFileException expunged) {
        gone = true;
        continue;
      }
      FetchRenderer.render(session.out, s, content, attributes, fetch.uid());
    }
    ImapSession.updateSelected(session, fetch.uid());
    session.out.tagged(
        tag,
        gone ? "NO [EXPUNGEISSUED] Some messages were expunged meanwhile" : "OK FETCH completed");
  }

  /**
   * The items with MODSEQ added when CONDSTORE asks for it: CHANGEDSINCE, or FLAGS once it is on
   * (RFC 7162 section 3.1.4.1). MODSEQ asked for turns it on.
   */
  private List<FetchAttribute> withModSeq(List<FetchAttribute> attributes, boolean changedSince) {
    boolean has = attributes.stream().anyMatch(a -> a instanceof FetchAttribute.ModSeq);
    session.condstore |= has;
    boolean flags = attributes.stream().anyMatch(a -> a instanceof FetchAttribute.Flags);
    if (has || !(changedSince || session.condstore && flags)) {
      return attributes;
    }
    List<FetchAttribute> more = new ArrayList<>(attributes);
    more.add(new FetchAttribute.ModSeq());
    return more;
  }

  private static Set<Flag> add(Set<Flag> flags, Flag flag) {
    flags.add(flag);
    return flags;
  }

  private void store(String tag, SelectedMailbox selected, ImapCommand.Store store) throws IOException {
    if (selected.readOnly()) {
      session.out.tagged(tag, "NO [READ-ONLY] Mailbox is read-only");
      return;
    }
    List<Integer> sequences = resolve(selected, store.set(), store.uid());
    Set<Flag> given = store.flags();
    UnaryOperator<Set<Flag>> change =
        switch (store.mode()) {
          case REPLACE -> flags -> given.isEmpty() ? EnumSet.noneOf(Flag.class) : EnumSet.copyOf(given);
          case ADD -> flags -> {
            flags.addAll(given);
            return flags;
          };
          case REMOVE -> flags -> {
            flags.removeAll(given);
            return flags;
          };
        };
    List<Long> uids = uidsOf(selected, sequences);
    session.condstore |= store.unchangedSince() >= 0;
    Set<Long> modified = new HashSet<>();
    FolderSnapshot snapshot = selected.folder().updateFlags(uids, change, store.unchangedSince(), modified);
    List<Long> failed = new ArrayList<>();
    for (int s : sequences) {
      MailMessage was = selected.at(s);
      MailMessage now = snapshot.byUid(was.uid());
      if (modified.contains(was.uid())) {
        failed.add(store.uid() ? was.uid() : s);
        continue; // RFC 7162 section 3.1.3: not changed, not reported; MODIFIED names it
      }
      if (now == null) {
        continue;
      }
      selected.replace(now);
      // With CONDSTORE on, .SILENT still reports a new MODSEQ (RFC 7162 section 3.1.3, example 3).
      boolean modSeqOnly = store.silent() && session.condstore && now.modSeq() != was.modSeq();
      if (!store.silent() || modSeqOnly) {
        session.out.text("* ").number(s).text(" FETCH (");
        if (store.uid()) {
          session.out.text("UID ").number(now.uid()).text(" ");
        }
        if (!modSeqOnly) {
          session.out.text("FLAGS ").text(FetchRenderer.flags(now.flags())).text(session.condstore ? " " : "");
        }
        if (session.condstore) {
          session.out.text("MODSEQ (").number(now.modSeq()).text(")");
        }
        session.out.text(")").crlf();
      }
    }
    ImapSession.updateSelected(session, store.uid());
    session.out.tagged(
        tag,
        failed.isEmpty()
            ? "OK STORE completed"
            : "OK [MODIFIED " + compress(failed) + "] Conditional STORE failed");
  }

  /** COPY and MOVE with COPYUID (RFC 4315 section 3, RFC 6851 section 3.3). */
  private void copy(String tag, SelectedMailbox selected, ImapCommand.Copy copy) throws IOException {
    MailFolder target = MailboxCommands.target(session, tag, copy.mailbox());
    if (target == null) {
      return;
    }
    if (copy.move() && selected.readOnly()) {
      session.out.tagged(tag, "NO [READ-ONLY] Mailbox is read-only");
      return;
    }
    List<Long> uids = uidsOf(selected, resolve(selected, copy.set(), copy.uid()));
    List<MailFolder.Copied> copied = selected.folder().copyTo(target, uids);
    String code = "";
    if (!copied.isEmpty()) {
      List<Long> sources = copied.stream().map(MailFolder.Copied::sourceUid).toList();
      List<Long> targets = copied.stream().map(MailFolder.Copied::targetUid).toList();
      code =
          "[COPYUID " + target.snapshot().uidValidity() + " " + compress(sources) + " " + compress(targets) + "] ";
    }
    if (copy.move()) {
      if (!code.isEmpty()) {
        session.out.untagged("OK " + code + "Moved");
      }
      List<Long> moved = copied.stream().map(MailFolder.Copied::sourceUid).toList();
      reportExpunged(selected, selected.folder().expunge(moved));
      ImapSession.updateSelected(session, true);
      session.out.tagged(tag, "OK MOVE completed");
    } else {
      ImapSession.updateSelected(session, true);
      session.out.tagged(tag, "OK " + code + "COPY completed");
    }
  }

  /** A list of numbers as a sequence set, runs as ranges: 1,2,3,7 is 1:3,7. */
  static String compress(List<Long> numbers) {
    StringBuilder set = new StringBuilder();
    int i = 0;
    while (i < numbers.size()) {
      int j = i;
      while (j + 1 < numbers.size() && numbers.get(j + 1) == numbers.get(j) + 1) {
        j++;
      }
      set.append(set.isEmpty() ? "" : ",").append(numbers.get(i));
      if (j > i) {
        set.append(':').append(numbers.get(j));
      }
      i = j + 1;
    }
    return set.toString();
  }
}
