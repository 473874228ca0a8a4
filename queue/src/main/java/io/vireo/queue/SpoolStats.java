package io.vireo.queue;

/**
 * A read-only snapshot of a spool for health checks and metrics.
 *
 * @param pendingMessages messages with at least one recipient not yet delivered or bounced
 * @param usableBytes usable space on the spool's file system, as last read (at most a second old)
 * @param minFreeBytes the free space below which {@link Spool#store} refuses new messages
 * @param writable true while the spool is open for writing and above its free-space floor: a new
 *     message would be stored rather than refused
 * @param syncNanos how long each journal sync took, in nanoseconds
 * @param syncBatch how many writes each sync made durable (the group commit's batch size)
 * @param damageFoundAtOpen what recovery found damaged (and quarantined) when the spool was opened:
 *     damaged byte ranges, damaged contents, files moved aside, a lost events journal
 * @param damagedContentReads contents that failed their CRC when read since then
 */
public record SpoolStats(
    int pendingMessages,
    long usableBytes,
    long minFreeBytes,
    boolean writable,
    Histogram.Snapshot syncNanos,
    Histogram.Snapshot syncBatch,
    int damageFoundAtOpen,
    long damagedContentReads) {

  /** A snapshot of a spool that found no damage. */
  public SpoolStats(
      int pendingMessages,
      long usableBytes,
      long minFreeBytes,
      boolean writable,
      Histogram.Snapshot syncNanos,
      Histogram.Snapshot syncBatch) {
    this(pendingMessages, usableBytes, minFreeBytes, writable, syncNanos, syncBatch, 0, 0);
  }
}
