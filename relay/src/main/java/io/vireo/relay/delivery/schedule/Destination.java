package io.vireo.relay.delivery.schedule;

import io.vireo.config.BackoffConfig;
import io.vireo.config.DestinationLimits;
import io.vireo.relay.delivery.DestinationStats;
import io.vireo.relay.delivery.schedule.limits.DestinationLimiter;
import io.vireo.relay.delivery.schedule.limits.LocalLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One place mail goes to (a smarthost, or a set of MX hosts shared by any number of domains) with
 * its own ready queue, limits, rate and backoff, so that one slow or dead destination never holds
 * up another.
 *
 * <p>The ready queue holds jobs that are due now; the timer keeps those that are not, so first in
 * is also the earliest due. Workers (at most {@link DestinationLimits#connections()}) take jobs
 * with {@link #next}; a new worker is started whenever the queue holds more jobs than there are
 * workers, so a burst fans out over more connections while a trickle reuses one.
 *
 * <p>A destination that failed on every host, or that signalled throttling, is suspended for its
 * current {@link Backoff}: workers then hand back the queued jobs to be deferred to the end of the
 * suspension without connecting. After that, the next job probes the destination again; a delivery
 * resets the backoff.
 *
 * <p>Its rate and its connection slots come from a {@link DestinationLimiter}: this node's own, or
 * one shared by a fleet through Redis. The limiter may talk to Redis, so it is only ever called
 * outside the lock.
 *
 * <p>Thread-safe: one lock guards all state; nothing blocks while holding it.
 */
final class Destination {
  /** What a worker is to do next. */
  sealed interface Next {
    /**
     * Deliver {@code job}, after waiting {@code rateDelay} for the rate limit. {@code resumed} is
     * true for the first job after a suspension ended.
     */
    record Work(DeliveryJob job, Duration rateDelay, boolean resumed) implements Next {}

    /** The destination is suspended until {@code until}: defer these jobs without connecting. */
    record Suspended(List<DeliveryJob> jobs, Instant until, String reason) implements Next {}

    /** Nothing queued; the worker holds a connection, so it should put that back and ask again. */
    record Empty() implements Next {}

    /** Nothing queued and the worker has been counted out: it must exit. */
    record Retired() implements Next {}
  }

  private final String key;
  private final DestinationLimits limits;
  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<DeliveryJob> ready = new ArrayDeque<>();
  private final DestinationLimiter limiter;
  private final Backoff backoff;
  private int workers;
  private boolean paused;
  private Instant suspendedUntil;
  private String suspensionReason;
  private boolean resumePending;

  /** A destination with this node's own limits. */
  Destination(String key, DestinationLimits limits, BackoffConfig backoff) {
    this(key, limits, backoff, new LocalLimits().limiter(key, limits));
  }

  Destination(
      String key, DestinationLimits limits, BackoffConfig backoff, DestinationLimiter limiter) {
    this.key = Objects.requireNonNull(key, "key");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.limiter = Objects.requireNonNull(limiter, "limiter");
    this.backoff = new Backoff(backoff);
  }

  /** Where this destination's rate and connection slots are decided. */
  DestinationLimiter limiter() {
    return limiter;
  }

  String key() {
    return key;
  }

  DestinationLimits limits() {
    return limits;
  }

  /**
   * Queues a job. Returns true when the caller must start a worker, which is then already counted.
   */
  boolean offer(DeliveryJob job) {
    lock.lock();
    try {
      ready.addLast(job);
      if (!paused && workers < limits.connections() && ready.size() > workers) {
        workers++;
        return true;
      }
      return false;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The next thing for a worker to do. A worker without a connection that finds nothing to do is
   * counted out here ({@link Next.Retired}), atomically with the check, so a job offered a moment
   * later starts a new worker rather than waiting for one that is leaving.
   */
  Next next(Instant now, boolean holdingConnection) {
    Next next = nextLocked(now, holdingConnection);
    if (next instanceof Next.Work work) {
      // The rate slot is reserved after the job is taken, outside the lock: a shared limiter asks
      // Redis.
      return new Next.Work(work.job(), limiter.reserve(now), work.resumed());
    }
    return next;
  }

  private Next nextLocked(Instant now, boolean holdingConnection) {
    lock.lock();
    try {
      if (paused) {
        // Suspended by the operator: the jobs wait here, no worker stays.
        if (holdingConnection) {
          return new Next.Empty();
        }
        workers--;
        return new Next.Retired();
      }
      if (suspendedUntil != null && now.isBefore(suspendedUntil)) {
        if (!ready.isEmpty()) {
          List<DeliveryJob> held = new ArrayList<>(ready);
          ready.clear();
          return new Next.Suspended(held, suspendedUntil, suspensionReason);
        }
      } else if (suspendedUntil != null) {
        suspendedUntil = null;
        resumePending = true;
      }
      DeliveryJob job = ready.pollFirst();
      if (job == null) {
        if (holdingConnection) {
          return new Next.Empty();
        }
        workers--;
        return new Next.Retired();
      }
      boolean resumed = resumePending;
      resumePending = false;
      return new Next.Work(job, Duration.ZERO, resumed);
    } finally {
      lock.unlock();
    }
  }

  /**
   * The next job if it may go out right now: the destination is not suspended (nor just resumed,
   * which {@link #next} reports), and the rate limit has a slot free without waiting. A worker
   * sending a message takes it to pipeline it behind that one (RFC 2920 section 3.1); it then owns
   * the job exactly as if {@link #next} had handed it over, so the worker count does not change.
   * Empty when there is no such job, and then nothing changes.
   */
  Optional<DeliveryJob> pollReadyNow(Instant now) {
    // Ask the limiter (outside the lock) only when there is a job it could be for; should the job
    // be gone meanwhile, the slot is spent unused, which errs on the slow side.
    if (!mayTakeNow() || !limiter.tryReserve(now)) {
      return Optional.empty();
    }
    lock.lock();
    try {
      return mayTakeNow() ? Optional.of(ready.pollFirst()) : Optional.empty();
    } finally {
      lock.unlock();
    }
  }

  private boolean mayTakeNow() {
    lock.lock();
    try {
      return !paused && suspendedUntil == null && !resumePending && !ready.isEmpty();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns a job from {@link #pollReadyNow} that was not started to the head of the queue, where
   * {@link #next} hands it out again (its rate slot is spent; it reserves another).
   */
  void putBack(DeliveryJob job) {
    lock.lock();
    try {
      ready.addFirst(job);
    } finally {
      lock.unlock();
    }
  }

  /** Counts out a worker that stops without having been {@link Next.Retired} (shutdown). */
  void retire() {
    lock.lock();
    try {
      workers--;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Suspends the destination after trouble on all its hosts or a throttling reply. Returns the
   * pause when this call suspended it; empty when it was already suspended (several workers failing
   * at once count as one failure, so the backoff doubles once).
   */
  Optional<Duration> suspend(Instant now, String reason) {
    lock.lock();
    try {
      if (suspendedUntil != null && now.isBefore(suspendedUntil)) {
        return Optional.empty();
      }
      Duration pause = backoff.fail();
      suspendedUntil = now.plus(pause);
      suspensionReason = reason;
      resumePending = false;
      return Optional.of(pause);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Suspends delivery until {@link #resume} ({@code vireo destination suspend}): queued jobs wait,
   * workers leave after their transaction. False when it was paused already.
   */
  boolean pause() {
    lock.lock();
    try {
      boolean was = paused;
      paused = true;
      return !was;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Ends an operator's suspension; returns how many workers the caller must start for the queued
   * jobs (already counted), -1 when it was not paused.
   */
  int resume() {
    lock.lock();
    try {
      if (!paused) {
        return -1;
      }
      paused = false;
      int start = Math.max(0, Math.min(limits.connections(), ready.size()) - workers);
      workers += start;
      return start;
    } finally {
      lock.unlock();
    }
  }

  /** A delivery worked: forget the backoff. True when the destination had been backing off. */
  boolean recovered() {
    lock.lock();
    try {
      return backoff.reset();
    } finally {
      lock.unlock();
    }
  }

  /** Nothing queued, no worker, no backoff to remember: the destination may be forgotten. */
  boolean isIdle() {
    lock.lock();
    try {
      return ready.isEmpty() && workers == 0 && !backoff.active() && !paused;
    } finally {
      lock.unlock();
    }
  }

  boolean isSuspended(Instant now) {
    lock.lock();
    try {
      return suspendedUntil != null && now.isBefore(suspendedUntil);
    } finally {
      lock.unlock();
    }
  }

  int workers() {
    lock.lock();
    try {
      return workers;
    } finally {
      lock.unlock();
    }
  }

  int queued() {
    lock.lock();
    try {
      return ready.size();
    } finally {
      lock.unlock();
    }
  }

  /** The queue as it is now; scans the ready jobs for the oldest arrival. */
  DestinationStats stats(Instant now) {
    lock.lock();
    try {
      Instant oldest = null;
      for (DeliveryJob job : ready) {
        Instant arrival = job.envelope().arrival();
        if (oldest == null || arrival.isBefore(oldest)) {
          oldest = arrival;
        }
      }
      boolean suspended = paused || (suspendedUntil != null && now.isBefore(suspendedUntil));
      return new DestinationStats(key, ready.size(), workers, oldest, suspended, paused);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return key;
  }
}
