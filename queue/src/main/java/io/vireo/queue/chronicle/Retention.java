package io.vireo.queue.chronicle;

import io.vireo.queue.MessageContent;
import io.vireo.queue.MessageId;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.Set;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reclaims disk: deletes journal files nothing live needs any more. Runs on the journal writer
 * thread, between batches, so it never races an append.
 *
 * <p>A messages file older than the one being written is deleted once no live (non-final) message
 * has a record in it. Live messages are carried forward out of it first (re-appended to the current
 * file with the same id and their recipient statuses, then synced) when at most half of its MESSAGE
 * records are still live, or when it is older than {@link #MAX_FILE_AGE}. The first rule keeps a
 * slow destination from pinning hours of otherwise finished mail without copying files that are
 * mostly live; the second bounds how far back both journals reach while a destination is down for
 * days, because:
 *
 * <p>Events files are deleted below the oldest events cycle a remaining MESSAGE record may need
 * (see {@link Journals#eventsFloor}), i.e. below the oldest remaining messages file.
 */
final class Retention {
  private static final Logger log = LoggerFactory.getLogger(Retention.class);

  /**
   * Carried-forward bytes per pass: bounds how long one pass keeps the writer from serving callers.
   * A pass that hits it asks to run again soon.
   */
  static final long CARRY_BUDGET_BYTES = 64L << 20;

  /** Age after which a messages file is emptied of live messages even if most of it is live. */
  static final Duration MAX_FILE_AGE = Duration.ofHours(24);

  /** What one pass did. */
  record Report(
      List<Integer> deletedMessageCycles,
      List<Integer> deletedEventCycles,
      int carriedForward,
      boolean budgetExhausted) {
    boolean didSomething() {
      return !deletedMessageCycles.isEmpty() || !deletedEventCycles.isEmpty() || carriedForward > 0;
    }
  }

  private final Journals journals;
  private final JournalReader reader;
  private final RecordWriter writer;
  private final SpoolState state;
  private final CycleLedger ledger;
  private final int maxAgeCycles;

  Retention(
      Journals journals,
      JournalReader reader,
      RecordWriter writer,
      SpoolState state,
      CycleLedger ledger) {
    this.journals = journals;
    this.reader = reader;
    this.writer = writer;
    this.state = state;
    this.ledger = ledger;
    long cycleMillis = journals.messages().rollCycle().lengthInMillis();
    this.maxAgeCycles = (int) Math.max(1, Math.ceilDiv(MAX_FILE_AGE.toMillis(), cycleMillis));
  }

  /**
   * One pass.
   *
   * @param lastEventIndex the last event appended so far; every event up to it is applied to the
   *     in-memory state, so carried-forward copies are written as current up to it
   */
  Report run(long lastEventIndex) throws IOException {
    Carry carry = new Carry();
    List<Integer> deletedMessages = reclaimMessages(lastEventIndex, carry);
    List<Integer> deletedEvents = reclaimEvents();
    Report report = new Report(deletedMessages, deletedEvents, carry.moved, carry.budgetExhausted);
    if (report.didSomething()) {
      log.info(
          "spool retention: carried {} message(s) forward; deleted messages cycles {}, events"
              + " cycles {}",
          report.carriedForward(),
          deletedMessages,
          deletedEvents);
    }
    return report;
  }

  private static final class Carry {
    int moved;
    long bytes;
    boolean budgetExhausted;
  }

  private List<Integer> reclaimMessages(long lastEventIndex, Carry carry) throws IOException {
    SingleChronicleQueue queue = journals.messages();
    int clockCycle = queue.cycle();
    int protectedFrom = firstProtectedCycle(clockCycle, writer.lastMessagesCycle());
    NavigableSet<Integer> candidates = Journals.cycles(queue).headSet(protectedFrom, false);
    if (candidates.isEmpty()) {
      return List.of();
    }
    Map<Integer, List<SpoolEntry>> pins = livePins(candidates);
    Map<MessageId, SpoolEntry> moved = new HashMap<>();
    List<Integer> deletable = new ArrayList<>();
    for (int cycle : candidates) {
      List<SpoolEntry> live = pins.getOrDefault(cycle, List.of());
      boolean mostlyFinished = 2L * live.size() <= ledger.records(cycle);
      boolean old = clockCycle - cycle >= maxAgeCycles;
      if (live.isEmpty()
          || ((mostlyFinished || old) && carryForward(live, lastEventIndex, moved, carry))) {
        deletable.add(cycle);
      }
    }
    if (!moved.isEmpty()) {
      // The copies must be on disk before the originals go, whatever the spool's durability
      // setting.
      writer.syncMessages();
      for (SpoolEntry entry : moved.values()) {
        state.put(entry);
      }
    }
    List<Integer> deleted = new ArrayList<>();
    for (int cycle : deletable) {
      if (Journals.deleteCycle(queue, cycle)) {
        deleted.add(cycle);
      }
      ledger.forget(cycle);
    }
    if (!deletable.isEmpty()) {
      Set<Integer> gone = new HashSet<>(deletable);
      state.forgetFinalsIn(index -> gone.contains(journals.cycleOf(index)));
    }
    return deleted;
  }

  /** Copies {@code live} forward; true if all of them now have a copy outside their old file. */
  private boolean carryForward(
      List<SpoolEntry> live, long lastEventIndex, Map<MessageId, SpoolEntry> moved, Carry carry)
      throws IOException {
    List<SpoolEntry> ordered = new ArrayList<>(live);
    // Journal order, so the reads walk forward through the old file.
    ordered.sort(Comparator.comparingLong(SpoolEntry::firstIndex));
    boolean all = true;
    for (SpoolEntry entry : ordered) {
      if (moved.containsKey(entry.id())) {
        continue;
      }
      if (carry.bytes >= CARRY_BUDGET_BYTES) {
        carry.budgetExhausted = true;
        return false;
      }
      Optional<MessageContent> content = reader.readContent(entry);
      if (content.isEmpty()) {
        log.error(
            "spool retention: the content of live message {} is missing; keeping its file",
            entry.id());
        all = false;
        continue;
      }
      JournalPosition position =
          writer.appendMessage(
              entry.envelope(), entry.snapshot(), lastEventIndex, content.get(), entry.crc());
      ledger.recordWritten(journals, position, lastEventIndex);
      moved.put(entry.id(), entry.movedTo(position, lastEventIndex));
      carry.moved++;
      carry.bytes += entry.size();
    }
    return all;
  }

  private List<Integer> reclaimEvents() throws IOException {
    SingleChronicleQueue queue = journals.events();
    int protectedFrom =
        Math.min(
            firstProtectedCycle(queue.cycle(), writer.lastEventsCycle()), ledger.eventsFloor());
    List<Integer> deleted = new ArrayList<>();
    for (int cycle : Journals.cycles(queue).headSet(protectedFrom, false)) {
      if (Journals.deleteCycle(queue, cycle)) {
        deleted.add(cycle);
      }
    }
    return deleted;
  }

  /** Live messages by the candidate cycles their records occupy. */
  private Map<Integer, List<SpoolEntry>> livePins(NavigableSet<Integer> candidates) {
    Map<Integer, List<SpoolEntry>> pins = new HashMap<>();
    for (SpoolEntry entry : state.liveEntries()) {
      int first = journals.cycleOf(entry.firstIndex());
      int last = journals.cycleOf(entry.envelopeIndex());
      for (int cycle = first; cycle <= last; cycle++) {
        if (candidates.contains(cycle)) {
          pins.computeIfAbsent(cycle, c -> new ArrayList<>()).add(entry);
        }
      }
    }
    return pins;
  }

  /**
   * Neither the cycle the clock calls current nor the one the appender last wrote may be touched:
   * the appender still holds the latter's file, and the clock may have stepped back.
   */
  private static int firstProtectedCycle(int clockCycle, int lastAppendedCycle) {
    return lastAppendedCycle == Integer.MIN_VALUE
        ? clockCycle
        : Math.min(clockCycle, lastAppendedCycle);
  }
}
