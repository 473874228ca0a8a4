package io.vireo.bench.load;

import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * What one worker measured in one phase. Owned by a single thread while it runs and merged after the
 * thread is joined, so no field needs synchronisation and the hot path never contends.
 */
final class WorkerStats {
  long attempted;
  long accepted;
  long connectionsOpened;
  long recipientsRefused;
  final Map<String, Long> failures = new TreeMap<>();
  /** Micros from sending the final dot of DATA to reading the 2yz reply. */
  final Histogram endOfDataMicros = new Histogram(3);
  /** Micros from starting a message (connecting first when needed) to its 2yz reply. */
  final Histogram totalMicros = new Histogram(3);

  void failed(FailureCause cause) {
    failures.merge(cause.key(), 1L, Long::sum);
  }

  void accepted(long endOfDataNanos, long totalNanos) {
    accepted++;
    endOfDataMicros.recordValue(Math.max(0, endOfDataNanos / 1_000));
    totalMicros.recordValue(Math.max(0, totalNanos / 1_000));
  }

  void add(WorkerStats other) {
    attempted += other.attempted;
    accepted += other.accepted;
    connectionsOpened += other.connectionsOpened;
    recipientsRefused += other.recipientsRefused;
    other.failures.forEach((key, count) -> failures.merge(key, count, Long::sum));
    endOfDataMicros.add(other.endOfDataMicros);
    totalMicros.add(other.totalMicros);
  }
}
