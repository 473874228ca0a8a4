package io.vireo.bench.idle;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * A fleet of idle SMTP sessions: opens {@link IdleOptions#connections()} of them at the ramp rate,
 * one virtual thread each, and holds every one that got past EHLO until {@link #close()}. Sessions
 * the server ends while held are counted as dropped.
 */
public final class IdleFleet implements AutoCloseable {
  /** Bound on waiting for the session threads to end once every socket is closed. */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

  private final IdleOptions options;
  private final LongSupplier nanoTicker;
  private final ExecutorService sessions =
      Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("idle-", 0).factory());
  private final Set<IdleConnection> held = ConcurrentHashMap.newKeySet();
  private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
  private final AtomicLong opened = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition settled = lock.newCondition();
  private volatile boolean closing;
  private Thread launcher;

  public IdleFleet(IdleOptions options) {
    this(options, System::nanoTime);
  }

  /** {@code nanoTicker} paces the ramp; tests may pass a ticker of their own. */
  public IdleFleet(IdleOptions options, LongSupplier nanoTicker) {
    this.options = options;
    this.nanoTicker = nanoTicker;
  }

  /** Starts opening the sessions in the background; returns at once. */
  public IdleFleet start() {
    lock.lock();
    try {
      if (launcher != null) {
        throw new IllegalStateException("fleet already started");
      }
      launcher = Thread.ofPlatform().name("idle-ramp").daemon().start(this::launchAll);
      return this;
    } finally {
      lock.unlock();
    }
  }

  /** Waits until every session opened or failed; returns false if {@code timeout} passed first. */
  public boolean awaitSettled(Duration timeout) throws InterruptedException {
    long remaining = timeout.toNanos();
    lock.lock();
    try {
      while (!snapshot().settled()) {
        if (remaining <= 0) {
          return false;
        }
        remaining = settled.awaitNanos(remaining);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  public IdleSnapshot snapshot() {
    Map<String, Long> failureCounts = new java.util.TreeMap<>();
    failures.forEach((cause, count) -> failureCounts.put(cause, count.sum()));
    return new IdleSnapshot(
        options.connections(),
        opened.get(),
        failed.get(),
        dropped.get(),
        held.size(),
        failureCounts);
  }

  /** Stops the ramp, sends QUIT on every held session and closes it. */
  @Override
  public void close() throws InterruptedException {
    closing = true;
    Thread ramp;
    lock.lock();
    try {
      ramp = launcher;
    } finally {
      lock.unlock();
    }
    if (ramp != null) {
      ramp.interrupt();
      ramp.join(CLOSE_WAIT.toMillis());
    }
    for (IdleConnection connection : held) {
      connection.close();
    }
    sessions.shutdown();
    if (!sessions.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
      sessions.shutdownNow();
    }
  }

  private void launchAll() {
    long start = nanoTicker.getAsLong();
    for (int index = 0; index < options.connections() && !closing; index++) {
      long due = start + options.rampRate().startOffsetNanos(index);
      // Bounded: the wait for one slot is at most 1/rate, and closing interrupts it.
      for (long wait = due - nanoTicker.getAsLong(); wait > 0 && !closing; ) {
        LockSupport.parkNanos(wait);
        if (Thread.interrupted()) {
          return;
        }
        wait = due - nanoTicker.getAsLong();
      }
      if (closing) {
        return;
      }
      int sessionIndex = index;
      sessions.execute(() -> openAndHold(sessionIndex));
    }
  }

  private void openAndHold(int index) {
    OpenOutcome outcome = IdleConnection.open(options, options.sourceFor(index));
    switch (outcome) {
      case OpenOutcome.Failed failure -> {
        failures.computeIfAbsent(failure.cause(), cause -> new LongAdder()).increment();
        failed.incrementAndGet();
        signalProgress();
      }
      case OpenOutcome.Opened(IdleConnection connection) -> {
        held.add(connection);
        opened.incrementAndGet();
        signalProgress();
        if (closing) {
          // close() may have walked the set before this session joined it.
          connection.close();
        }
        boolean serverEnded = connection.awaitServerClose();
        held.remove(connection);
        if (serverEnded && !closing) {
          dropped.incrementAndGet();
          connection.close();
        }
      }
    }
  }

  private void signalProgress() {
    lock.lock();
    try {
      settled.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
