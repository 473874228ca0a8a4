package io.vireo.queue.chronicle;

import io.vireo.queue.Envelope;
import io.vireo.queue.RecipientStatus;
import java.util.List;

/**
 * A decoded MESSAGE record of the messages journal: the envelope plus where its content lives.
 *
 * @param size content length in bytes
 * @param crc CRC-32C of the content, checked when the content is read back
 * @param eventsAfter the events-journal index the record's state is current up to: recovery applies
 *     only events with a higher index to this copy ({@link ChronicleIndexes#NONE} if there were
 *     none)
 * @param snapshot each recipient's status when the record was written (a carried-forward copy), or
 *     null for a newly stored message whose recipients are all pending
 * @param firstChunkIndex journal index of the first CHUNK record, or {@link ChronicleIndexes#NONE}
 *     when the content follows the envelope inside this record
 * @param chunkCount number of CHUNK records; 0 for inline content
 */
record MessageRecord(
    Envelope envelope,
    long size,
    int crc,
    long eventsAfter,
    List<RecipientStatus> snapshot,
    long firstChunkIndex,
    int chunkCount) {

  boolean inline() {
    return chunkCount == 0;
  }
}
