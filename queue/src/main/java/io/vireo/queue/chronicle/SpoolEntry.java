package io.vireo.queue.chronicle;

import io.vireo.queue.Envelope;
import io.vireo.queue.MessageId;
import io.vireo.queue.QueuedMessage;
import io.vireo.queue.Recipient;
import io.vireo.queue.RecipientState;
import io.vireo.queue.RecipientStatus;
import io.vireo.queue.SpoolEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * What the spool keeps in memory for one message: the envelope, where its latest MESSAGE record and
 * content sit in the messages journal, and each recipient's status. Immutable; the writer replaces
 * an entry when something changes, so readers always see a consistent one.
 */
final class SpoolEntry {
  private final Envelope envelope;
  private final long size;
  private final int crc;
  private final long envelopeIndex;
  private final long firstChunkIndex;
  private final int chunkCount;
  private final long eventsAfter;

  /** Null while every recipient is untouched: spares a list per message for the common case. */
  private final List<RecipientStatus> statuses;

  private SpoolEntry(
      Envelope envelope,
      long size,
      int crc,
      long envelopeIndex,
      long firstChunkIndex,
      int chunkCount,
      long eventsAfter,
      List<RecipientStatus> statuses) {
    this.envelope = envelope;
    this.size = size;
    this.crc = crc;
    this.envelopeIndex = envelopeIndex;
    this.firstChunkIndex = firstChunkIndex;
    this.chunkCount = chunkCount;
    this.eventsAfter = eventsAfter;
    this.statuses = statuses;
  }

  /** The entry a MESSAGE record at {@code envelopeIndex} describes. */
  static SpoolEntry of(MessageRecord record, long envelopeIndex) {
    return new SpoolEntry(
        record.envelope(),
        record.size(),
        record.crc(),
        envelopeIndex,
        record.firstChunkIndex(),
        record.chunkCount(),
        record.eventsAfter(),
        record.snapshot() == null ? null : List.copyOf(record.snapshot()));
  }

  MessageId id() {
    return envelope.id();
  }

  Envelope envelope() {
    return envelope;
  }

  long size() {
    return size;
  }

  int crc() {
    return crc;
  }

  long envelopeIndex() {
    return envelopeIndex;
  }

  long firstChunkIndex() {
    return firstChunkIndex;
  }

  int chunkCount() {
    return chunkCount;
  }

  boolean inline() {
    return chunkCount == 0;
  }

  /** The journal index of this message's first record: its first chunk, or the MESSAGE itself. */
  long firstIndex() {
    return inline() ? envelopeIndex : firstChunkIndex;
  }

  long eventsAfter() {
    return eventsAfter;
  }

  /** The statuses to write into a carried-forward copy; null while all are untouched. */
  List<RecipientStatus> snapshot() {
    return statuses;
  }

  List<RecipientStatus> statuses() {
    if (statuses != null) {
      return statuses;
    }
    List<RecipientStatus> initial = new ArrayList<>(envelope.recipients().size());
    for (Recipient recipient : envelope.recipients()) {
      initial.add(
          new RecipientStatus(recipient, RecipientState.PENDING, 0, envelope.arrival(), null));
    }
    return List.copyOf(initial);
  }

  boolean isFinal() {
    return statuses != null && statuses.stream().allMatch(s -> s.state().isFinal());
  }

  boolean hasRecipient(String address) {
    for (Recipient recipient : envelope.recipients()) {
      if (recipient.address().equals(address)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The entry after {@code event}; {@code this} when the event changes nothing (unknown recipient,
   * or one already final). Every recipient with the event's address takes it: a client may repeat a
   * RCPT.
   */
  SpoolEntry apply(SpoolEvent event) {
    List<RecipientStatus> current = statuses();
    List<RecipientStatus> next = null;
    for (int i = 0; i < current.size(); i++) {
      RecipientStatus status = current.get(i);
      if (!status.recipient().address().equals(event.recipient())) {
        continue;
      }
      RecipientStatus updated = RecipientTransitions.apply(status, event);
      if (updated != status) {
        if (next == null) {
          next = new ArrayList<>(current);
        }
        next.set(i, updated);
      }
    }
    if (next == null) {
      return this;
    }
    return new SpoolEntry(
        envelope,
        size,
        crc,
        envelopeIndex,
        firstChunkIndex,
        chunkCount,
        eventsAfter,
        List.copyOf(next));
  }

  /** A message just stored: every recipient pending. */
  static SpoolEntry stored(
      Envelope envelope, long size, int crc, JournalPosition position, long eventsAfter) {
    return new SpoolEntry(
        envelope,
        size,
        crc,
        position.envelopeIndex(),
        position.firstChunkIndex(),
        position.chunkCount(),
        eventsAfter,
        null);
  }

  /** The same message and statuses at a new journal position: a carried-forward copy. */
  SpoolEntry movedTo(JournalPosition position, long newEventsAfter) {
    return new SpoolEntry(
        envelope,
        size,
        crc,
        position.envelopeIndex(),
        position.firstChunkIndex(),
        position.chunkCount(),
        newEventsAfter,
        statuses);
  }

  QueuedMessage toQueuedMessage() {
    return new QueuedMessage(envelope, size, statuses());
  }
}
