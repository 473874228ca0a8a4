package io.vireo.relay.delivery.schedule;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The virtual threads the delivery engine runs (route lookups and destination workers), tracked so
 * that shutdown can wait for them with a deadline and interrupt the stragglers.
 */
final class Tasks {
  private static final Logger log = LoggerFactory.getLogger(Tasks.class);

  private final Set<Thread> live = ConcurrentHashMap.newKeySet();

  /** Starts {@code body} on a new virtual thread; an exception it throws is logged, not lost. */
  void start(String name, Runnable body) {
    Thread thread =
        Thread.ofVirtual()
            .name(name)
            .unstarted(
                () -> {
                  try {
                    body.run();
                  } catch (RuntimeException | Error e) {
                    log.error("{} failed", Thread.currentThread().getName(), e);
                  } finally {
                    live.remove(Thread.currentThread());
                  }
                });
    live.add(thread);
    thread.start();
  }

  /** Waits until every task has ended or {@code timeout} has passed; true if all ended. */
  boolean awaitAll(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    // Tasks may start others while we wait (a lookup starting a worker), hence the outer loop.
    while (!live.isEmpty()) {
      for (Thread thread : Set.copyOf(live)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return live.isEmpty();
        }
        try {
          thread.join(Duration.ofNanos(left));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return true;
  }

  void interruptAll() {
    live.forEach(Thread::interrupt);
  }

  int running() {
    return live.size();
  }
}
