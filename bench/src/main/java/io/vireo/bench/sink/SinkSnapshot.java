package io.vireo.bench.sink;

import java.time.Duration;

/**
 * The sink's counters at one moment.
 *
 * @param messages messages accepted (a 250 reply to the end of DATA or to BDAT LAST)
 * @param recipients recipients of the accepted messages
 * @param bytes content bytes of the accepted messages, after dot-unstuffing
 * @param connectionsOpened connections accepted since start
 * @param connectionsOpen connections open now
 * @param firstToLast time from the first accepted message to the latest one (zero before two messages)
 */
public record SinkSnapshot(
    long messages,
    long recipients,
    long bytes,
    long connectionsOpened,
    long connectionsOpen,
    Duration firstToLast) {

  /** Messages per second between the first and the latest message; 0 when not measurable yet. */
  public double messagesPerSecondFirstToLast() {
    double seconds = firstToLast.toNanos() / 1e9;
    return messages < 2 || seconds <= 0 ? 0 : (messages - 1) / seconds;
  }
}
