package io.vireo.queue.chronicle;

import io.vireo.queue.SpoolEvent;
import io.vireo.queue.SpoolException;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Rebuilds the spool's in-memory state from its journals at open: every MESSAGE record in order (a
 * later copy of an id replaces an earlier one; CHUNK records are skipped by their length without
 * being read), then every event in order, each applied only to the copy it postdates.
 */
final class RecoveryScan {
  /**
   * What recovery found.
   *
   * @param lastEventIndex index of the last event in the journal, {@link ChronicleIndexes#NONE} if
   *     none
   */
  record Result(
      SpoolState state,
      CycleLedger ledger,
      long lastEventIndex,
      long messageRecords,
      long eventRecords) {}

  private RecoveryScan() {}

  static Result run(Journals journals) {
    // Straight into the state the spool will serve from: no second copy of a large backlog.
    SpoolState state = new SpoolState();
    CycleLedger ledger = new CycleLedger();
    ValuePool pool = new ValuePool(ValuePool.RECOVERY_CAPACITY);
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
                "messages journal record "
                    + Long.toHexString(tailer.index())
                    + " has unknown type "
                    + type);
          }
          long index = tailer.index();
          SpoolEntry entry = SpoolEntry.of(MessageCodec.readMessage(in, pool), index);
          state.put(entry);
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
          SpoolEntry entry = state.live(event.messageId());
          // No live entry: the message finished, or its file was deleted once it had. Not newer
          // than
          // the entry's record: that record (a carried-forward copy) already includes the event.
          if (entry != null && index > entry.eventsAfter()) {
            SpoolEntry next = entry.apply(event);
            if (next != entry) {
              state.put(next);
            }
          }
        }
      }
    }
    return new Result(state, ledger, lastEventIndex, messageRecords, eventRecords);
  }
}
