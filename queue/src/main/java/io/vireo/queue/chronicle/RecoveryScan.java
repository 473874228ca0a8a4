package io.vireo.queue.chronicle;

import io.vireo.queue.MessageId;
import io.vireo.queue.SpoolEvent;
import io.vireo.queue.SpoolException;
import io.vireo.queue.SpoolFinding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.RollCycle;

/**
 * Rebuilds the spool's in-memory state from its journal files, read directly (not through
 * Chronicle) so that damage is seen and read past instead of ending the scan: every MESSAGE record
 * in order (a later copy of an id replaces an earlier one; CHUNK records are skipped), then every
 * event in order, each applied only to the copy it postdates. What does not read is reported as a
 * {@link SpoolFinding}; the scan itself never changes a file.
 */
final class RecoveryScan {
  /** Bytes of a journal file that did not read as records, to be copied to quarantine. */
  record DamagedRange(Path file, long from, long to) {}

  /**
   * What recovery found.
   *
   * @param lastEventIndex index of the last event in the journal, {@link ChronicleIndexes#NONE} if
   *     none
   * @param damagedContent messages whose envelope reads but whose inline content fails its CRC
   * @param damagedRanges byte ranges that did not read as records
   * @param invalidFiles files named like cycles that are not Chronicle cycle files, and strays
   */
  record Result(
      SpoolState state,
      CycleLedger ledger,
      long lastEventIndex,
      long messageRecords,
      long eventRecords,
      List<SpoolFinding> findings,
      Map<MessageId, String> damagedContent,
      List<DamagedRange> damagedRanges,
      List<Path> invalidFiles,
      boolean eventsLost) {

    /** Damage inside the journals: they must be rewritten before anything is appended to them. */
    boolean needsRebuild() {
      return !damagedRanges.isEmpty() || !damagedContent.isEmpty();
    }

    boolean clean() {
      return findings.isEmpty();
    }

    /**
     * This result plus the content of every queued message checked against its CRC-32C (recovery
     * checks only inline content, which it reads anyway; large messages' chunks are checked here
     * and whenever delivery reads them).
     */
    Result withContentVerified(SpoolDirectory directory, RollCycle rollCycle) {
      ContentSalvage salvage =
          ContentSalvage.locate(
              JournalFiles.list(directory.messages(), rollCycle), id -> state.live(id) != null);
      List<SpoolFinding> allFindings = new ArrayList<>(findings);
      Map<MessageId, String> allDamaged = new LinkedHashMap<>(damagedContent);
      for (SpoolEntry entry : state.liveEntries()) {
        if (!allDamaged.containsKey(entry.id()) && salvage.contentOf(entry).isEmpty()) {
          allDamaged.put(entry.id(), "its content is missing or fails its CRC-32C check");
          allFindings.add(
              new SpoolFinding(
                  SpoolFinding.Kind.DAMAGED_CONTENT,
                  "messages",
                  "messages/",
                  0,
                  entry.size(),
                  "message " + entry.id() + ": content missing or fails its CRC-32C check"));
        }
      }
      return with(List.copyOf(allFindings), Map.copyOf(allDamaged));
    }

    /** This result with other findings and damaged contents. */
    Result with(List<SpoolFinding> newFindings, Map<MessageId, String> newDamagedContent) {
      return new Result(
          state,
          ledger,
          lastEventIndex,
          messageRecords,
          eventRecords,
          newFindings,
          newDamagedContent,
          damagedRanges,
          invalidFiles,
          eventsLost);    }
  }

  private final SpoolDirectory directory;
  private final RollCycle rollCycle;
  private final SpoolState state = new SpoolState();
  private final CycleLedger ledger = new CycleLedger();
  private final ValuePool pool = new ValuePool(ValuePool.RECOVERY_CAPACITY);
  private final List<SpoolFinding> findings = new ArrayList<>();
  private final Map<MessageId, String> damagedContent = new LinkedHashMap<>();
  private final List<DamagedRange> damagedRanges = new ArrayList<>();
  private final List<Path> invalidFiles = new ArrayList<>();
  private long messageRecords;
  private long eventRecords;
  private long lastEventIndex = ChronicleIndexes.NONE;
  private int highestEventsAfterCycle = Integer.MIN_VALUE;

  private RecoveryScan(SpoolDirectory directory, RollCycle rollCycle) {
    this.directory = directory;
    this.rollCycle = rollCycle;
  }

  static Result run(SpoolDirectory directory, RollCycle rollCycle) {
    return new RecoveryScan(directory, rollCycle).scan();
  }

  private Result scan() {
    JournalFiles messages = JournalFiles.list(directory.messages(), rollCycle);
    JournalFiles events = JournalFiles.list(directory.events(), rollCycle);
    strays("messages", messages);
    strays("events", events);
    for (JournalFiles.CycleFile file : messages.cycles()) {
      walk("messages", file, new MessageVisitor(file));
    }
    int eventCycles = 0;
    int highestEventsCycle = Integer.MIN_VALUE;
    for (JournalFiles.CycleFile file : events.cycles()) {
      if (walk("events", file, new EventVisitor(file))) {
        eventCycles++;
        highestEventsCycle = file.cycle();
      }
    }
    boolean eventsLost = false;
    if (eventCycles == 0 && Files.exists(directory.eventsMarker())) {
      eventsLost = true;
      findings.add(
          new SpoolFinding(
              SpoolFinding.Kind.EVENTS_JOURNAL_LOST,
              "events",
              "events/",
              0,
              0,
              "the events journal is gone although events were written: "
                  + recipientsOfLiveMessages()
                  + " recipient(s) of "
                  + state.liveCount()
                  + " queued message(s) fall back to their last saved state or pending, so"
                  + " deliveries already made may be repeated"));
    } else if (highestEventsAfterCycle > highestEventsCycle) {
      eventsLost = true;
      findings.add(
          new SpoolFinding(
              SpoolFinding.Kind.EVENTS_JOURNAL_LOST,
              "events",
              "events/",
              0,
              0,
              "message records refer to events in cycle "
                  + highestEventsAfterCycle
                  + " but the events journal ends at cycle "
                  + (eventCycles == 0 ? "(none)" : Integer.toString(highestEventsCycle))
                  + ": later events are lost, so deliveries already made may be repeated"));
    }
    return new Result(
        state,
        ledger,
        lastEventIndex,
        messageRecords,
        eventRecords,
        List.copyOf(findings),
        Map.copyOf(damagedContent),
        List.copyOf(damagedRanges),
        List.copyOf(invalidFiles),
        eventsLost);
  }

  private long recipientsOfLiveMessages() {
    long count = 0;
    for (SpoolEntry entry : state.liveEntries()) {
      count += entry.envelope().recipients().size();
    }
    return count;
  }

  private void strays(String journal, JournalFiles files) {
    for (Path stray : files.strays()) {
      invalidFiles.add(stray);
      findings.add(
          new SpoolFinding(
              SpoolFinding.Kind.STRAY_FILE,
              journal,
              relative(stray),
              0,
              sizeOf(stray),
              "not a journal file"));
    }
  }

  /** Walks one cycle file; false if it is not a cycle file at all. */
  private boolean walk(String journal, JournalFiles.CycleFile file, Visitor visitor) {
    try (FileWindow window = new FileWindow(file.path())) {
      CycleFileWalker.Walk walk = CycleFileWalker.walk(window, visitor);
      if (!walk.validStore()) {
        invalidFiles.add(file.path());
        findings.add(
            new SpoolFinding(
                SpoolFinding.Kind.INVALID_CYCLE,
                journal,
                relative(file.path()),
                0,
                window.size(),
                "named like a journal cycle but is not one (no Chronicle store header)"));
        return false;
      }
      return true;
    } catch (IOException e) {
      throw new SpoolException("cannot read the journal file " + file.path() + ": " + e, e);
    }
  }

  private String relative(Path file) {
    return directory.root().relativize(file).toString();
  }

  private static long sizeOf(Path file) {
    try {
      return Files.isRegularFile(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  /** Common damage reporting for both journals. */
  private abstract class Visitor implements CycleFileWalker.Visitor {
    final JournalFiles.CycleFile file;
    final String journal;

    Visitor(JournalFiles.CycleFile file, String journal) {
      this.file = file;
      this.journal = journal;
    }

    @Override
    public void damaged(long from, long to, String what) {
      damagedRanges.add(new DamagedRange(file.path(), from, to));
      findings.add(
          new SpoolFinding(
              SpoolFinding.Kind.DAMAGED_RECORDS, journal, relative(file.path()), from, to - from, what));
    }

    void undecodable(long position, Bytes<?> payload, RuntimeException e) {
      damaged(
          position,
          position + Integer.BYTES + payload.readLimit() - payload.readPosition(),
          "a record that does not decode: " + e.getMessage());
    }
  }

  private final class MessageVisitor extends Visitor {
    MessageVisitor(JournalFiles.CycleFile file) {
      super(file, "messages");
    }

    @Override
    public void record(long position, long sequence, Bytes<?> payload) {
      long start = payload.readPosition();
      long limit = payload.readLimit();
      int type = BinaryFields.peekType(payload);
      if (type == RecordCodes.CHUNK) {
        if (!decodes(payload)) {
          damaged(
              position,
              position + Integer.BYTES + limit - start,
              "a content chunk that does not decode");
        }
        return;
      }
      MessageRecord record;
      try {
        if (type != RecordCodes.MESSAGE) {
          throw RecordCodes.corrupt("record type", type);
        }
        record = MessageCodec.readMessage(payload, pool);
      } catch (RuntimeException e) {
        payload.readPositionRemaining(start, limit - start);
        undecodable(position, payload, e);
        return;
      }
      if (record.inline() && RecordCrc.of(payload, payload.readPosition(), payload.readLimit()) != record.crc()) {
        damagedContent.put(record.envelope().id(), "its content fails its CRC-32C check");
        findings.add(
            new SpoolFinding(
                SpoolFinding.Kind.DAMAGED_CONTENT,
                journal,
                relative(file.path()),
                position,
                Integer.BYTES + limit - start,
                "message " + record.envelope().id() + ": content fails its CRC-32C check"));
      } else {
        damagedContent.remove(record.envelope().id());
      }
      long index = sequence < 0 ? ChronicleIndexes.NONE : rollCycle.toIndex(file.cycle(), sequence);
      SpoolEntry entry = SpoolEntry.of(record, index);
      state.put(entry);
      int firstCycle =
          record.inline() ? file.cycle() : rollCycle.toCycle(record.firstChunkIndex());
      int eventsFloor =
          record.eventsAfter() == ChronicleIndexes.NONE
              ? file.cycle()
              : Math.max(rollCycle.toCycle(record.eventsAfter()), file.cycle());
      if (record.eventsAfter() != ChronicleIndexes.NONE) {
        highestEventsAfterCycle =
            Math.max(highestEventsAfterCycle, rollCycle.toCycle(record.eventsAfter()));
      }
      ledger.recordWritten(Math.min(firstCycle, file.cycle()), file.cycle(), eventsFloor);
      messageRecords++;
    }

    @Override
    public boolean decodes(Bytes<?> payload) {
      return CycleFileWalker.decodes(payload, CycleFileWalker::decodeMessagesRecord);
    }
  }

  private final class EventVisitor extends Visitor {
    private long lastSequence = -1;

    EventVisitor(JournalFiles.CycleFile file) {
      super(file, "events");
    }

    @Override
    public void record(long position, long sequence, Bytes<?> payload) {
      long start = payload.readPosition();
      SpoolEvent event;
      try {
        event = EventCodec.read(payload);
      } catch (RuntimeException e) {
        payload.readPositionRemaining(start, payload.readLimit() - start);
        undecodable(position, payload, e);
        lastSequence = sequence < 0 ? lastSequence + 1 : sequence;
        return;
      }
      // Past damage the true sequence is unknown; the next one up keeps the order, which is all
      // that comparing with a record's eventsAfter needs.
      long effective = sequence < 0 ? lastSequence + 1 : sequence;
      lastSequence = effective;
      long index = rollCycle.toIndex(file.cycle(), effective);
      lastEventIndex = Math.max(lastEventIndex, index);
      eventRecords++;
      SpoolEntry entry = state.live(event.messageId());
      // No live entry: the message finished, or its file was deleted once it had. Not newer than
      // the entry's record: that record (a carried-forward copy) already includes the event.
      if (entry != null && index > entry.eventsAfter()) {
        SpoolEntry next;
        try {
          next = entry.apply(event);
        } catch (IllegalArgumentException e) {
          // A version-1 event (no checksum) naming a recipient its message does not have.
          payload.readPositionRemaining(start, payload.readLimit() - start);
          undecodable(position, payload, e);
          return;
        }
        if (next != entry) {
          state.put(next);
        }
      }
    }

    @Override
    public boolean decodes(Bytes<?> payload) {
      return CycleFileWalker.decodes(payload, EventCodec::read);
    }
  }
}
