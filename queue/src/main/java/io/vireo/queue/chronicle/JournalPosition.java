package io.vireo.queue.chronicle;

/**
 * Where a message was appended in the messages journal.
 *
 * @param envelopeIndex index of its MESSAGE record
 * @param firstChunkIndex index of its first CHUNK record, or {@link ChronicleIndexes#NONE} if
 *     inline
 * @param chunkCount number of CHUNK records, 0 if inline
 */
record JournalPosition(long envelopeIndex, long firstChunkIndex, int chunkCount) {
  /** Index of the message's first record: its first chunk, or the MESSAGE record itself. */
  long firstIndex() {
    return chunkCount == 0 ? envelopeIndex : firstChunkIndex;
  }
}
