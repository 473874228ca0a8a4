package io.vireo.relay.delivery.schedule;

import io.vireo.queue.MessageId;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds recipients until their next attempt is due and then hands them on, earliest first: a
 * priority queue watched by one platform thread, which sleeps until the earliest entry is due (by
 * the {@link Ticker}'s time) or an earlier one arrives. A manual ticker wakes it when the test
 * moves the clock.
 *
 * <p>The hand-off runs on the timer thread outside the lock and may block briefly (back pressure
 * when too many deliveries are being prepared); scheduling never blocks.
 */
final class DeliveryTimer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DeliveryTimer.class);
  private static final Duration JOIN = Duration.ofSeconds(5);

  /** Recipients of one message due at one time. */
  record Due(Instant at, MessageId id, List<String> recipients) {
    Due {
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(id, "id");
      recipients = List.copyOf(recipients);
    }
  }

  private record Entry(Due due, long sequence) {}

  private final Ticker ticker;
  private final Consumer<Due> handOff;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final PriorityQueue<Entry> queue =
      new PriorityQueue<>(
          Comparator.comparing((Entry e) -> e.due().at()).thenComparingLong(Entry::sequence));
  private final Thread thread;
  private long sequence;
  private boolean closed;

  DeliveryTimer(Ticker ticker, Consumer<Due> handOff) {
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.handOff = Objects.requireNonNull(handOff, "handOff");
    this.thread = Thread.ofPlatform().name("delivery-timer").daemon().unstarted(this::run);
  }

  void start() {
    ticker.onAdvance(this::wake);
    thread.start();
  }

  /** Hands {@code recipients} of message {@code id} on at {@code at} (at once if it is past). */
  void schedule(Instant at, MessageId id, List<String> recipients) {
    if (recipients.isEmpty()) {
      return;
    }
    Due due = new Due(at, id, recipients);
    lock.lock();
    try {
      if (closed) {
        return;
      }
      queue.add(new Entry(due, sequence++));
      if (queue.peek().due() == due) {
        changed.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Entries waiting. */
  int size() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /** Stops the thread; entries not yet due are dropped (the spool still has them). */
  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      queue.clear();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    if (thread.isAlive()) {
      try {
        if (!thread.join(JOIN)) {
          log.warn("delivery timer did not stop within {}", JOIN);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Time moved (a manual ticker): the thread looks at the head again. */
  private void wake() {
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void run() {
    while (true) {
      Due due;
      lock.lock();
      try {
        due = null;
        while (due == null) {
          if (closed) {
            return;
          }
          Entry head = queue.peek();
          if (head != null && !head.due().at().isAfter(ticker.now())) {
            due = queue.poll().due();
          } else {
            ticker.await(changed, head == null ? null : head.due().at());
          }
        }
      } catch (InterruptedException e) {
        return;
      } finally {
        lock.unlock();
      }
      try {
        handOff.accept(due);
      } catch (RuntimeException e) {
        log.error("handing on {} failed", due, e);
      }
    }
  }
}
