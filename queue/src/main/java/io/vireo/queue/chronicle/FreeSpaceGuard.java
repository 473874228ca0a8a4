package io.vireo.queue.chronicle;

import io.vireo.queue.SpoolException;
import io.vireo.queue.SpoolFullException;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Refuses new messages while the spool's file system is short of space, like Postfix's {@code
 * queue_minfree}: better a 452 to the client now than a failed write, or no room for the delivery
 * events that would free space. The usable space is asked of the file system at most once a second
 * (by the spool's clock), so the check costs nothing per message.
 */
final class FreeSpaceGuard {
  private static final long REFRESH_MILLIS = 1_000;

  private final FileStore store;
  private final Path directory;
  private final long minFreeBytes;
  private final Clock clock;
  private volatile long usable;
  private volatile long checkedAt;
  private volatile boolean checked;

  FreeSpaceGuard(Path directory, long minFreeBytes, Clock clock) {
    this.directory = directory;
    this.minFreeBytes = minFreeBytes;
    this.clock = clock;
    try {
      this.store = Files.getFileStore(directory);
    } catch (IOException e) {
      throw new SpoolException("cannot inspect the file system of " + directory + ": " + e, e);
    }
  }

  /**
   * @throws SpoolFullException if storing {@code incomingBytes} would leave less than the minimum
   *     free
   */
  void check(long incomingBytes) {
    long left = usable() - incomingBytes;
    if (left < minFreeBytes) {
      throw new SpoolFullException(
          "the spool's file system ("
              + directory
              + ") has "
              + mib(usable)
              + " MiB usable; a "
              + incomingBytes
              + "-byte message would leave less than the required "
              + mib(minFreeBytes)
              + " MiB free");
    }
  }

  /** The usable space as last read, read afresh when that was over a second ago. */
  long usable() {
    long now = clock.millis();
    if (!checked || now - checkedAt >= REFRESH_MILLIS || now < checkedAt) {
      usable = usableNow();
      checkedAt = now;
      checked = true;
    }
    return usable;
  }

  /** The floor {@link #check} keeps free. */
  long minFreeBytes() {
    return minFreeBytes;
  }

  /**
   * Asked after a failed write: is lack of space the likely reason? Reads the file system afresh.
   */
  boolean isNearlyFull() {
    return usableNow() < Math.max(minFreeBytes, 1L << 20);
  }

  private long usableNow() {
    try {
      return store.getUsableSpace();
    } catch (IOException e) {
      throw new SpoolException("cannot read the usable space of " + directory + ": " + e, e);
    }
  }

  private static long mib(long bytes) {
    return bytes >> 20;
  }
}
