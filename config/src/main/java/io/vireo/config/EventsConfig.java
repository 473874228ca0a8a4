package io.vireo.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code events}: the JSON-lines event log, one line per recipient state change (received,
 * delivered, deferred, bounced, expired, suppressed). It is also the durable queue the webhooks
 * are sent from.
 *
 * @param enabled whether events are written at all; {@code webhooks} need it
 * @param dir the log's directory (segments {@code events-NNNNNNNNNN.jsonl} and the webhooks'
 *     cursors); empty: {@code <spool.dir>/event-log}, so the log moves with the node's spool
 * @param segmentSize a segment is closed and a new one started once it reaches this size
 * @param maxSize the oldest closed segments are deleted once the log is larger, even those a
 *     webhook has not sent yet (logged, counted): the disk bound wins over an endless outage
 */
public record EventsConfig(boolean enabled, Optional<Path> dir, long segmentSize, long maxSize) {
  public static final long MIN_SEGMENT_SIZE = 64L << 10;

  /** On, beside the spool, 64 MiB segments, at most 1 GiB. */
  public static final EventsConfig DEFAULTS =
      new EventsConfig(true, Optional.empty(), 64L << 20, 1L << 30);

  public EventsConfig {
    Objects.requireNonNull(dir, "dir");
    if (segmentSize < MIN_SEGMENT_SIZE) {
      throw new IllegalArgumentException("events segment-size must be at least 64KB");
    }
    if (maxSize < 2 * segmentSize) {
      throw new IllegalArgumentException(
          "events max-size must be at least twice segment-size (the open segment plus one)");
    }
  }

  /** The directory the log lives in, for a spool in {@code spoolDir}. */
  public Path dirFor(Path spoolDir) {
    return dir.orElseGet(() -> spoolDir.resolve("event-log"));
  }
}
