package io.vireo.relay.delivery.schedule;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Scheduling's time, the one source the delivery timer and the workers read and wait on, so that a
 * test moves time instead of sleeping through it.
 *
 * <ul>
 *   <li>{@link #system}: the clock's time; a wait for a moment lasts until then by the JVM's
 *       monotonic timer (a wall clock stepped forward is noticed at the end of the wait).
 *   <li>{@link #manual}: time that moves only when a test moves the clock; a wait ends when the
 *       clock reaches its moment, whatever the real time.
 * </ul>
 */
public interface Ticker {
  /** The clock behind this ticker, for the times recorded with events and reports. */
  Clock clock();

  default Instant now() {
    return clock().instant();
  }

  /**
   * Waits on {@code condition}, whose lock the caller holds, until it is signalled or this ticker's
   * time reaches {@code deadline} (null: until signalled). Like {@link Condition#await()} it may
   * return early, so the caller checks again in a loop.
   */
  void await(Condition condition, Instant deadline) throws InterruptedException;

  /**
   * Runs {@code listener} after each move of a manual clock, so a waiter whose condition it signals
   * looks at the new time; a system ticker never calls it (its time moves by itself).
   */
  void onAdvance(Runnable listener);

  /** Sleeps for {@code duration} of this ticker's time. */
  void sleep(Duration duration) throws InterruptedException;

  /** The clock's own time. */
  static Ticker system(Clock clock) {
    Objects.requireNonNull(clock, "clock");
    return new Ticker() {
      @Override
      public Clock clock() {
        return clock;
      }

      @Override
      public void await(Condition condition, Instant deadline) throws InterruptedException {
        if (deadline == null) {
          condition.await();
          return;
        }
        long nanos = nanosBetween(clock.instant(), deadline);
        if (nanos > 0) {
          condition.awaitNanos(nanos);
        }
      }

      @Override
      public void onAdvance(Runnable listener) {}

      @Override
      public void sleep(Duration duration) throws InterruptedException {
        Thread.sleep(duration);
      }
    };
  }

  /**
   * Time that moves only when {@code clock} is moved; {@code advances} registers a callback the
   * clock runs after each move (a test clock's {@code onAdvance}).
   */
  static Ticker manual(Clock clock, Consumer<Runnable> advances) {
    return new ManualTicker(clock, advances);
  }

  /** Nanoseconds from {@code from} to {@code to}, saturated instead of overflowing. */
  private static long nanosBetween(Instant from, Instant to) {
    try {
      return Duration.between(from, to).toNanos();
    } catch (ArithmeticException e) {
      return from.isBefore(to) ? Long.MAX_VALUE : Long.MIN_VALUE;
    }
  }

  /** {@link #manual}: waiters park until a move of the clock passes their moment. */
  final class ManualTicker implements Ticker {
    private final Clock clock;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition moved = lock.newCondition();

    private ManualTicker(Clock clock, Consumer<Runnable> advances) {
      this.clock = Objects.requireNonNull(clock, "clock");
      advances.accept(this::advanced);
    }

    @Override
    public Clock clock() {
      return clock;
    }

    @Override
    public void await(Condition condition, Instant deadline) throws InterruptedException {
      if (deadline == null || clock.instant().isBefore(deadline)) {
        condition.await(); // a move of the clock signals it through the waiter's listener
      }
    }

    @Override
    public void onAdvance(Runnable listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
      Instant until = clock.instant().plus(duration);
      lock.lock();
      try {
        while (clock.instant().isBefore(until)) {
          moved.await();
        }
      } finally {
        lock.unlock();
      }
    }

    private void advanced() {
      lock.lock();
      try {
        moved.signalAll();
      } finally {
        lock.unlock();
      }
      listeners.forEach(Runnable::run);
    }
  }
}
