package io.vireo.queue.chronicle;

import io.vireo.queue.SpoolException;
import io.vireo.queue.SpoolFullException;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Refuses new messages while the spool's file system is short of space, like Postfix's {@code
 * queue_minfree}: better a 452 to the client now than a failed write, or no room for the delivery
 * events that would free space.
 *
 * <p>The file system is asked at most once a second (by the spool's clock), so the check costs
 * nothing per message; until the next reading, the bytes of messages let through are subtracted
 * from the last one, because a fast client can write more than the whole floor in a second, and a
 * write into a memory-mapped journal on a really full disk fails with SIGBUS, not a clean error.
 * When that estimate says a message would cross the floor, the file system is asked again at once,
 * so acceptance resumes as soon as space comes back.
 */
final class FreeSpaceGuard {
  private static final long REFRESH_MILLIS = 1_000;

  private final Path directory;
  private final LongSupplier usableSpace;
  private final long minFreeBytes;
  private final Clock clock;
  private final Object readLock = new Object();
  private volatile long usable;
  private volatile long checkedAt;
  private volatile boolean checked;
  /** Let through and not yet written: in no reading of the disk yet. */
  private final AtomicLong inFlight = new AtomicLong();
  /** Written since the last reading, which may or may not hold them: counted until the next. */
  private final AtomicLong writtenSinceReading = new AtomicLong();

  FreeSpaceGuard(Path directory, long minFreeBytes, Clock clock) {
    this(directory, usableSpaceOf(directory), minFreeBytes, clock);
  }

  FreeSpaceGuard(Path directory, LongSupplier usableSpace, long minFreeBytes, Clock clock) {
    this.directory = directory;
    this.usableSpace = usableSpace;
    this.minFreeBytes = minFreeBytes;
    this.clock = clock;
  }

  /**
   * Lets a message of {@code incomingBytes} through, counting it against the free space; the caller
   * calls {@link #written} once the write is over, however it ended.
   *
   * @throws SpoolFullException if storing {@code incomingBytes} would leave less than the minimum
   *     free
   */
  void reserve(long incomingBytes) {
    inFlight.addAndGet(incomingBytes);
    if (usable() >= minFreeBytes) {
      return;
    }
    // The estimate says no; the disk may have room again (files deleted), so ask it now.
    read();
    long left = usable();
    if (left >= minFreeBytes) {
      return;
    }
    inFlight.addAndGet(-incomingBytes);
    throw new SpoolFullException(
        "the spool's file system ("
            + directory
            + ") has "
            + mib(left + incomingBytes)
            + " MiB usable; a "
            + incomingBytes
            + "-byte message would leave less than the required "
            + mib(minFreeBytes)
            + " MiB free");
  }

  /** The write of a message {@link #reserve}d is over: its bytes count until the next reading. */
  void written(long bytes) {
    writtenSinceReading.addAndGet(bytes);
    inFlight.addAndGet(-bytes);
  }

  /**
   * The usable space: the last reading, read afresh when it is over a second old, less what was
   * let through since.
   */
  long usable() {
    long now = clock.millis();
    if (!checked || now - checkedAt >= REFRESH_MILLIS || now < checkedAt) {
      read();
    }
    return usable - writtenSinceReading.get() - inFlight.get();
  }

  /** The floor {@link #reserve} keeps free. */
  long minFreeBytes() {
    return minFreeBytes;
  }

  /**
   * Asked after a failed write: is lack of space the likely reason? Reads the file system afresh.
   */
  boolean isNearlyFull() {
    return read() < Math.max(minFreeBytes, 1L << 20);
  }

  /** Reads the file system; what was written before is in the reading. Returns the reading. */
  private long read() {
    synchronized (readLock) {
      writtenSinceReading.set(0);
      long reading = usableSpace.getAsLong();
      usable = reading;
      checkedAt = clock.millis();
      checked = true;
      return reading;
    }
  }

  private static LongSupplier usableSpaceOf(Path directory) {
    FileStore store;
    try {
      store = Files.getFileStore(directory);
    } catch (IOException e) {
      throw new SpoolException("cannot inspect the file system of " + directory + ": " + e, e);
    }
    return () -> {
      try {
        return store.getUsableSpace();
      } catch (IOException e) {
        throw new SpoolException("cannot read the usable space of " + directory + ": " + e, e);
      }
    };
  }

  private static long mib(long bytes) {
    return bytes >> 20;
  }
}
