package io.vireo.bench.sink;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * What every session of one sink adds to: message, recipient, byte and connection counts, the times of
 * the first and latest message, and a way to wait until a message count is reached.
 */
final class SinkCounters {
  private static final long NONE_YET = Long.MIN_VALUE;
  private final LongSupplier nanoTicker;
  private final AtomicLong messages = new AtomicLong();
  private final LongAdder recipients = new LongAdder();
  private final LongAdder bytes = new LongAdder();
  private final LongAdder connectionsOpened = new LongAdder();
  private final AtomicLong connectionsOpen = new AtomicLong();
  private final AtomicLong firstMessageNanos = new AtomicLong(NONE_YET);
  private final AtomicLong lastMessageNanos = new AtomicLong(NONE_YET);
  private final Histogram messagesPerConnection = new ConcurrentHistogram(3);
  private final AtomicReference<ReceivedMessage> lastMessage = new AtomicReference<>();

  private final ReentrantLock waitLock = new ReentrantLock();
  private final Condition countReached = waitLock.newCondition();
  // The smallest count some waiter waits for; sessions only take the lock once it is reached.
  private volatile long lowestAwaitedCount = Long.MAX_VALUE;
  private int waiters; // guarded by waitLock

  SinkCounters(LongSupplier nanoTicker) {
    this.nanoTicker = nanoTicker;
  }

  void connectionOpened() {
    connectionsOpened.increment();
    connectionsOpen.incrementAndGet();
  }

  void connectionClosed(long messagesOnConnection) {
    connectionsOpen.decrementAndGet();
    messagesPerConnection.recordValue(messagesOnConnection);
  }

  /** Counts one accepted message; called before its 250 is sent so a client that saw 250 sees the count. */
  void messageAccepted(int recipientCount, long contentBytes, ReceivedMessage retained) {
    long now = nanoTicker.getAsLong();
    firstMessageNanos.compareAndSet(NONE_YET, now);
    lastMessageNanos.accumulateAndGet(now, Math::max);
    recipients.add(recipientCount);
    bytes.add(contentBytes);
    if (retained != null) {
      lastMessage.set(retained);
    }
    long count = messages.incrementAndGet();
    if (count >= lowestAwaitedCount) {
      waitLock.lock();
      try {
        countReached.signalAll();
      } finally {
        waitLock.unlock();
      }
    }
  }

  /** Waits until at least {@code count} messages were accepted or {@code timeout} passed; true if reached. */
  boolean awaitMessages(long count, Duration timeout) throws InterruptedException {
    long remaining = timeout.toNanos();
    waitLock.lock();
    waiters++;
    try {
      while (true) {
        // Publish the target before reading the count: a session increments, then reads the target,
        // so one of the two always sees the other and no wake-up is lost.
        lowestAwaitedCount = Math.min(lowestAwaitedCount, count);
        if (messages.get() >= count) {
          return true;
        }
        if (remaining <= 0) {
          return false;
        }
        remaining = countReached.awaitNanos(remaining);
      }
    } finally {
      if (--waiters == 0) {
        lowestAwaitedCount = Long.MAX_VALUE;
      }
      waitLock.unlock();
    }
  }

  long messages() {
    return messages.get();
  }

  long recipients() {
    return recipients.sum();
  }

  long connectionsOpened() {
    return connectionsOpened.sum();
  }

  ReceivedMessage lastMessage() {
    return lastMessage.get();
  }

  /** Mean and maximum messages per closed connection, as "mean/max". */
  String messagesPerConnectionSummary() {
    Histogram copy = messagesPerConnection.copy();
    return copy.getTotalCount() == 0
        ? "n/a"
        : String.format("%.1f/%d", copy.getMean(), copy.getMaxValue());
  }

  SinkSnapshot snapshot() {
    long first = firstMessageNanos.get();
    long last = lastMessageNanos.get();
    return new SinkSnapshot(
        messages.get(),
        recipients.sum(),
        bytes.sum(),
        connectionsOpened.sum(),
        connectionsOpen.get(),
        first == NONE_YET ? Duration.ZERO : Duration.ofNanos(last - first));
  }

}
