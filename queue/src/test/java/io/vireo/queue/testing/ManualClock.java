package io.vireo.queue.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The tests' one clock: it stands still until a test advances it, so journal files roll, retries
 * fall due and limits refill without waiting. Safe to read from any thread; whoever waits on it
 * (the delivery timer through a manual ticker) registers with {@link #onAdvance} to be woken.
 */
public final class ManualClock extends Clock {
  private final AtomicReference<Instant> now;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  public ManualClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  /** Starts at 2026-01-01T00:00:00Z. */
  public ManualClock() {
    this(Instant.parse("2026-01-01T00:00:00Z"));
  }

  /** Moves the time on by {@code duration}, then runs every {@link #onAdvance} listener. */
  public void advance(Duration duration) {
    now.updateAndGet(current -> current.plus(duration));
    listeners.forEach(Runnable::run);
  }

  /** Runs {@code listener} after each {@link #advance}, on the advancing thread. */
  public void onAdvance(Runnable listener) {
    listeners.add(listener);
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("a manual clock is always UTC");
  }
}
