package io.vireo.relay.delivery.smtp;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Gives blocking socket writes a deadline, which {@link java.net.Socket} lacks: a write that has
 * not finished when its deadline passes runs the expiry action (closing the socket, which makes the
 * write throw). One virtual thread per connection sleeps until the earliest deadline it knows of;
 * arming and disarming only touch fields, so a busy connection wakes the watchdog about once per
 * timeout period.
 */
final class WriteWatchdog implements AutoCloseable {
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final Runnable onExpiry;
  private long deadlineNanos;
  private long sleepingUntilNanos;
  private boolean armed;
  private boolean idle;
  private boolean expired;
  private boolean closed;

  WriteWatchdog(String name, Runnable onExpiry) {
    this.onExpiry = onExpiry;
    Thread.ofVirtual().name(name).start(this::watch);
  }

  /** Starts the clock for one write. */
  void arm(Duration timeout) {
    lock.lock();
    try {
      deadlineNanos = System.nanoTime() + timeout.toNanos();
      armed = true;
      // Wake the watchdog only if it would otherwise sleep past the new deadline.
      if (idle || deadlineNanos - sleepingUntilNanos < 0) {
        changed.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  /** The write finished in time. */
  void disarm() {
    lock.lock();
    try {
      armed = false;
    } finally {
      lock.unlock();
    }
  }

  /** True once a deadline passed and the expiry action ran. */
  boolean expired() {
    lock.lock();
    try {
      return expired;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      changed.signal();
    } finally {
      lock.unlock();
    }
  }

  private void watch() {
    boolean fire = false;
    lock.lock();
    try {
      while (!closed) {
        if (!armed) {
          idle = true;
          changed.await();
          idle = false;
          continue;
        }
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
          armed = false;
          expired = true;
          fire = true;
          break;
        }
        // Re-arming while asleep only moves the deadline later; waking at the old one and going
        // back
        // to sleep is cheaper than signalling on every write.
        sleepingUntilNanos = deadlineNanos;
        changed.await(left, TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
    if (fire) {
      onExpiry.run();
    }
  }
}
