package io.vireo.relay.delivery.schedule.limits;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs calls to Redis and decides when not to: after a failure every call is answered locally for
 * {@code retryAfter}, then the next call tries Redis again (the Redis client reconnects by itself).
 * Counts each decision taken locally, warns at most once per {@code warnEvery} while Redis stays
 * away (with how many local decisions were taken meanwhile), and says when it is back.
 */
final class RedisGuard {
  private static final Logger log = LoggerFactory.getLogger(RedisLimits.class);

  private final String target;
  private final Clock clock;
  private final Duration retryAfter;
  private final Duration warnEvery;
  private final Runnable onFailure;
  private final LongAdder fallbacks = new LongAdder();
  private final ReentrantLock lock = new ReentrantLock();
  private boolean down;
  private Instant restUntil = Instant.MIN;
  private Instant lastWarning;
  private long sinceWarning;

  /**
   * @param onFailure run after each failed call, outside the lock (drops pooled connections that a
   *     restarted Redis has broken, so the next try opens a fresh one)
   */
  RedisGuard(
      String target, Clock clock, Duration retryAfter, Duration warnEvery, Runnable onFailure) {
    this.target = target;
    this.clock = clock;
    this.retryAfter = retryAfter;
    this.warnEvery = warnEvery;
    this.onFailure = onFailure;
  }

  /**
   * The call's result, or empty when Redis is resting or the call failed: the caller then decides
   * locally, and that counts as a fallback.
   */
  <T> Optional<T> decide(Supplier<T> call) {
    return run(call, true);
  }

  /** As {@link #decide}, for upkeep that decides nothing (lease renewal): not counted. */
  <T> Optional<T> upkeep(Supplier<T> call) {
    return run(call, false);
  }

  long fallbacks() {
    return fallbacks.sum();
  }

  private <T> Optional<T> run(Supplier<T> call, boolean decision) {
    if (resting(decision)) {
      return Optional.empty();
    }
    T result;
    try {
      result = call.get();
    } catch (RuntimeException e) {
      // JedisException for a lost, slow or closed Redis; anything else (an unexpected reply) is
      // treated the same way: a limit is never a reason to hold up mail.
      failed(e, decision);
      onFailure.run();
      return Optional.empty();
    }
    available();
    return Optional.of(result);
  }

  private boolean resting(boolean decision) {
    lock.lock();
    try {
      Instant now = clock.instant();
      if (!down || !now.isBefore(restUntil)) {
        return false;
      }
      if (decision) {
        fallbacks.increment();
        sinceWarning++;
        warnIfDue(now, null);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  private void failed(RuntimeException e, boolean decision) {
    lock.lock();
    try {
      Instant now = clock.instant();
      down = true;
      restUntil = now.plus(retryAfter);
      if (decision) {
        fallbacks.increment();
        sinceWarning++;
      }
      warnIfDue(now, e);
    } finally {
      lock.unlock();
    }
  }

  private void warnIfDue(Instant now, RuntimeException e) {
    if (lastWarning != null && now.isBefore(lastWarning.plus(warnEvery))) {
      return;
    }
    log.warn(
        "shared limits: Redis {} unavailable ({}); applying this node's own limits ({} local"
            + " decisions since the last warning)",
        target,
        e == null ? "still failing" : describe(e),
        sinceWarning);
    lastWarning = now;
    sinceWarning = 0;
  }

  private void available() {
    lock.lock();
    try {
      if (!down) {
        return;
      }
      down = false;
      restUntil = Instant.MIN;
      lastWarning = null;
      log.info(
          "shared limits: Redis {} available again; limits are shared again ({} local decisions"
              + " since the last warning)",
          target,
          sinceWarning);
      sinceWarning = 0;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The failure and its root cause in one line, without a stack trace: such as {@code WRONGPASS
   * ...} for a refused password, or the TLS handshake's reason. A root cause that the message
   * already quotes (as a TLS error's does) is not repeated.
   */
  private static String describe(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    if (cause == e) {
      return e.toString();
    }
    String message = String.valueOf(e.getMessage());
    return cause.getMessage() != null && message.contains(cause.getMessage())
        ? message
        : message + ": " + cause;
  }
}
