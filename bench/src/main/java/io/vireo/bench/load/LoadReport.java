package io.vireo.bench.load;

import java.time.Duration;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The outcome of one load run's measured phase (warm-up excluded).
 *
 * @param attempted messages started
 * @param accepted messages that got a 2yz reply to the end of DATA
 * @param failures failed messages by cause: a reply code ("451") or "connect", "timeout", "io",
 *     "protocol", "aborted"
 * @param recipientsRefused recipients refused inside otherwise accepted messages
 * @param elapsed wall time of the measured phase
 * @param connectionsOpened connections opened over the whole run, warm-up included
 * @param endOfData latency from sending the final dot to the 2yz reply
 * @param total latency from starting a message (connecting first when needed) to its 2yz reply
 * @param stoppedByDeadline whether the duration limit cut the run short
 */
public record LoadReport(
    long attempted,
    long accepted,
    SortedMap<String, Long> failures,
    long recipientsRefused,
    Duration elapsed,
    long connectionsOpened,
    LatencySummary endOfData,
    LatencySummary total,
    boolean stoppedByDeadline) {

  public LoadReport {
    failures = new TreeMap<>(failures);
  }

  @Override
  public SortedMap<String, Long> failures() {
    return new TreeMap<>(failures);
  }

  /** Messages that failed, whatever the cause. */
  public long failed() {
    return failures.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Accepted messages per second of the measured phase. */
  public double messagesPerSecond() {
    double seconds = elapsed.toNanos() / 1e9;
    return seconds <= 0 ? 0 : accepted / seconds;
  }

  static LoadReport from(
      WorkerStats measured,
      long connectionsOpened,
      Duration elapsed,
      boolean stoppedByDeadline) {
    return new LoadReport(
        measured.attempted,
        measured.accepted,
        new TreeMap<>(measured.failures),
        measured.recipientsRefused,
        elapsed,
        connectionsOpened,
        LatencySummary.of(measured.endOfDataMicros),
        LatencySummary.of(measured.totalMicros),
        stoppedByDeadline);
  }
}
