package io.vireo.bench.load;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One phase of a run (warm-up or measurement): the range of sequence numbers the workers share out,
 * and the deadline after which no new message starts.
 */
final class Phase {
  private final AtomicLong next;
  private final long lastSequence;
  private final long deadlineNanos;

  Phase(long firstSequence, long lastSequence, long deadlineNanos) {
    this.next = new AtomicLong(firstSequence);
    this.lastSequence = lastSequence;
    this.deadlineNanos = deadlineNanos;
  }

  /** The next sequence number to send, or -1 when the phase has none left. */
  long claim() {
    long sequence = next.getAndIncrement();
    return sequence <= lastSequence ? sequence : -1;
  }

  /** Whether {@code nowNanos} is at or past the deadline (overflow-safe, as for {@link System#nanoTime}). */
  boolean pastDeadline(long nowNanos) {
    return nowNanos - deadlineNanos >= 0;
  }

  long deadlineNanos() {
    return deadlineNanos;
  }
}
