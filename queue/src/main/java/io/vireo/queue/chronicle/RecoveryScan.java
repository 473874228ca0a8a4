package io.vireo.queue.chronicle;

import io.vireo.queue.MessageId;
import io.vireo.queue.SpoolEvent;
import io.vireo.queue.SpoolException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Rebuilds the spool's in-memory state from its journals at open: every MESSAGE record in order (a later
 * copy of an id replaces an earlier one; CHUNK records are skipped by their length without being read),
 * then every event in order, each applied only to the copy it postdates.
 */
final class RecoveryScan {
  /**
   * What recovery found.
   *
   * @param lastEventIndex index of the last event in the journal, {@link ChronicleIndexes#NONE} if none
   */
  record Result(
      SpoolState state,
      CycleLedger ledger,
      long lastEventIndex,
      long messageRecords,
      long eventRecords,
      int finalMessages) {}

  private RecoveryScan() {}

  static Result run(Journals journals) {
    Map<MessageId, SpoolEntry> entries = new HashMap<>();
    CycleLedger ledger = new CycleLedger();
    long messageRecords = 0;
    try (ExcerptTailer tailer = journals.messages().createTailer()) {
      while (true) {
        try (DocumentContext dc = tailer.readingDocument()) {
          if (!dc.isPresent()) {
            break;
          }
          Bytes<?> in = dc.wire().bytes();
          int type = BinaryFields.peekType(in);
          if (type == RecordCodes.CHUNK) {
            continue;
          }
          if (type != RecordCodes.MESSAGE) {
            throw new SpoolException(
                "messages journal record " + Long.toHexString(tailer.index()) + " has unknown type " + type);
          }
          long index = tailer.index();
          SpoolEntry entry = SpoolEntry.of(MessageCodec.readMessage(in), index);
          entries.put(entry.id(), entry);
          ledger.recordWritten(
              journals.cycleOf(entry.firstIndex()),
              journals.cycleOf(index),
              journals.eventsFloor(entry.eventsAfter(), index));
          messageRecords++;
        }
      }
    }
    long lastEventIndex = ChronicleIndexes.NONE;
    long eventRecords = 0;
    try (ExcerptTailer tailer = journals.events().createTailer()) {
      while (true) {
        try (DocumentContext dc = tailer.readingDocument()) {
          if (!dc.isPresent()) {
            break;
          }
          long index = tailer.index();
          lastEventIndex = index;
          eventRecords++;
          SpoolEvent event = EventCodec.read(dc.wire().bytes());
          SpoolEntry entry = entries.get(event.messageId());
          // Unknown: the message's file was deleted once it finished. Not newer than the copy: the
          // copy's snapshot already includes it.
          if (entry != null && index > entry.eventsAfter()) {
            entries.put(entry.id(), entry.apply(event));
          }
        }
      }
    }
    SpoolState state = new SpoolState();
    List<SpoolEntry> finals = new ArrayList<>();
    for (SpoolEntry entry : entries.values()) {
      if (entry.isFinal()) {
        finals.add(entry);
      } else {
        state.put(entry);
      }
    }
    // Newest last, so the bounded set of recently finished messages keeps the newest.
    finals.sort(Comparator.comparingLong(SpoolEntry::envelopeIndex));
    for (SpoolEntry entry : finals) {
      state.put(entry);
    }
    return new Result(state, ledger, lastEventIndex, messageRecords, eventRecords, finals.size());
  }
}
