package io.vireo.relay.delivery.smtp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Idle SMTP client connections kept open per destination so that the next message to the same
 * server skips the connect, greeting, EHLO and TLS handshake. Borrowing takes the most recently
 * used connection (LIFO keeps the few warm ones busy and lets the rest age out); releasing keeps a
 * connection only while it is usable, under {@link PoolLimits#maxMessagesPerConnection()} and
 * {@link PoolLimits#maxIdlePerKey()}. A virtual thread closes connections idle longer than {@link
 * PoolLimits#idleTimeout()}, judged by the injected clock.
 *
 * <p>Thread-safe. Each destination has its own lock, held only for list operations; connecting and
 * QUIT happen outside any lock.
 */
public final class ConnectionPool implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConnectionPool.class);
  private static final Duration SWEEPER_JOIN = Duration.ofSeconds(10);

  private final PoolLimits limits;
  private final ConnectionOpener opener;
  private final Clock clock;
  private final Map<PoolKey, IdleStack> idle = new ConcurrentHashMap<>();
  private final LongAdder opened = new LongAdder();
  private final LongAdder reused = new LongAdder();
  private final ReentrantLock lifecycle = new ReentrantLock();
  private final Condition closing = lifecycle.newCondition();
  private final Thread sweeper;
  private volatile boolean closed;

  /** Creates the pool and starts its sweeper thread. */
  public ConnectionPool(PoolLimits limits, ConnectionOpener opener, Clock clock) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.opener = Objects.requireNonNull(opener, "opener");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sweeper = Thread.ofVirtual().name("smtp-pool-sweeper").start(this::sweepUntilClosed);
  }

  /**
   * Takes an idle, usable connection for {@code key}, dropping any that expired or that the server
   * has given up on meanwhile.
   */
  public Optional<SmtpClientConnection> borrow(PoolKey key) {
    requireOpen();
    IdleStack stack = idle.get(key);
    if (stack == null) {
      return Optional.empty();
    }
    // Each pass removes at least one entry, so the stack's bound bounds the loop.
    for (int attempt = 0; attempt <= limits.maxIdlePerKey(); attempt++) {
      Instant now = clock.instant();
      List<SmtpClientConnection> stale = new ArrayList<>(0);
      SmtpClientConnection candidate = null;
      stack.lock.lock();
      try {
        Idle newest = stack.entries.pollLast();
        if (newest == null) {
          return Optional.empty();
        }
        if (expired(newest, now)) {
          // The newest is too old, so are all below it.
          stale.add(newest.connection);
          for (Idle older : stack.entries) {
            stale.add(older.connection);
          }
          stack.entries.clear();
        } else {
          candidate = newest.connection;
        }
      } finally {
        stack.lock.unlock();
      }
      stale.forEach(SmtpClientConnection::close);
      if (candidate == null) {
        return Optional.empty();
      }
      if (candidate.usable()) {
        reused.increment();
        return Optional.of(candidate);
      }
      candidate.close();
    }
    return Optional.empty();
  }

  /** A pooled connection for {@code key} if there is one, else a new one from the opener. */
  public SmtpClientConnection acquire(PoolKey key) throws SmtpClientException {
    Optional<SmtpClientConnection> pooled = borrow(key);
    if (pooled.isPresent()) {
      return pooled.get();
    }
    SmtpClientConnection connection = opener.open(key);
    opened.increment();
    return connection;
  }

  /**
   * Hands a connection back after use. It is kept for the next message if it is still usable, has
   * carried fewer than {@link PoolLimits#maxMessagesPerConnection()} transactions and the key has
   * room; otherwise it is closed (with QUIT, in the caller's thread).
   */
  public void release(PoolKey key, SmtpClientConnection connection) {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(connection, "connection");
    if (closed
        || limits.maxIdlePerKey() == 0
        || connection.transactions() >= limits.maxMessagesPerConnection()
        // Unsolicited bytes are looked for on borrow and by the sweeper; checking here as well
        // would
        // cost a second system call per message.
        || !connection.healthy()) {
      connection.close();
      return;
    }
    Instant now = clock.instant();
    // A stack can be retired by the sweeper between lookup and lock; then take the fresh one. Two
    // retirements in a row would need two sweeps during one release.
    for (int attempt = 0; attempt < 3; attempt++) {
      IdleStack stack = idle.computeIfAbsent(key, k -> new IdleStack());
      boolean kept;
      stack.lock.lock();
      try {
        if (stack.retired) {
          continue;
        }
        // Checked under the stack lock: close() sets the flag before it retires stacks, so a
        // connection is either pushed before close() drains this stack or refused here.
        kept = !closed && stack.entries.size() < limits.maxIdlePerKey();
        if (kept) {
          stack.entries.addLast(new Idle(connection, now));
        }
      } finally {
        stack.lock.unlock();
      }
      if (!kept) {
        connection.close();
      }
      return;
    }
    connection.close();
  }

  /**
   * Closes idle connections that reached the idle timeout or became unusable; the sweeper calls
   * this every {@link PoolLimits#sweepInterval()}. Returns how many were closed.
   */
  public int evictExpired() {
    Instant now = clock.instant();
    List<SmtpClientConnection> evicted = new ArrayList<>();
    for (Map.Entry<PoolKey, IdleStack> entry : idle.entrySet()) {
      IdleStack stack = entry.getValue();
      stack.lock.lock();
      try {
        // usable() only asks the socket whether bytes are waiting; it never blocks.
        stack.entries.removeIf(
            candidate -> {
              boolean evict = expired(candidate, now) || !candidate.connection.usable();
              if (evict) {
                evicted.add(candidate.connection);
              }
              return evict;
            });
        if (stack.entries.isEmpty() && !stack.retired) {
          stack.retired = true;
          idle.remove(entry.getKey(), stack);
        }
      } finally {
        stack.lock.unlock();
      }
    }
    evicted.forEach(SmtpClientConnection::close);
    if (!evicted.isEmpty()) {
      log.debug("closed {} idle SMTP connections", evicted.size());
    }
    return evicted.size();
  }

  /** Connections opened through {@link #acquire}. */
  public long opened() {
    return opened.sum();
  }

  /** Times {@link #borrow} (or {@link #acquire}) handed out a pooled connection. */
  public long reused() {
    return reused.sum();
  }

  /** The counts so far and the idle connections now. */
  public PoolStats stats() {
    return new PoolStats(opened(), reused(), idleCount());
  }

  /** Idle connections held for {@code key}. */
  public int idleCount(PoolKey key) {
    IdleStack stack = idle.get(key);
    if (stack == null) {
      return 0;
    }
    stack.lock.lock();
    try {
      return stack.entries.size();
    } finally {
      stack.lock.unlock();
    }
  }

  /** Idle connections held for all keys. */
  public int idleCount() {
    int total = 0;
    for (PoolKey key : idle.keySet()) {
      total += idleCount(key);
    }
    return total;
  }

  /**
   * Stops the sweeper and closes every idle connection (in parallel, each QUIT briefly bounded).
   */
  @Override
  public void close() {
    lifecycle.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      closing.signalAll();
    } finally {
      lifecycle.unlock();
    }
    List<SmtpClientConnection> all = new ArrayList<>();
    for (IdleStack stack : idle.values()) {
      stack.lock.lock();
      try {
        stack.retired = true;
        for (Idle entry : stack.entries) {
          all.add(entry.connection);
        }
        stack.entries.clear();
      } finally {
        stack.lock.unlock();
      }
    }
    idle.clear();
    try (ExecutorService closer = Executors.newVirtualThreadPerTaskExecutor()) {
      for (SmtpClientConnection connection : all) {
        closer.execute(connection::close);
      }
    }
    try {
      if (!sweeper.join(SWEEPER_JOIN)) {
        log.warn("pool sweeper did not stop within {}", SWEEPER_JOIN);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void sweepUntilClosed() {
    while (true) {
      lifecycle.lock();
      try {
        if (closed) {
          return;
        }
        closing.await(limits.sweepInterval().toNanos(), TimeUnit.NANOSECONDS);
        if (closed) {
          return;
        }
      } catch (InterruptedException e) {
        return;
      } finally {
        lifecycle.unlock();
      }
      try {
        evictExpired();
      } catch (RuntimeException e) {
        log.warn("sweeping idle SMTP connections failed", e);
      }
    }
  }

  private boolean expired(Idle entry, Instant now) {
    return !now.isBefore(entry.since.plus(limits.idleTimeout()));
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("connection pool is closed");
    }
  }

  private record Idle(SmtpClientConnection connection, Instant since) {}

  /** The idle connections of one key, oldest first; retired once removed from the map. */
  private static final class IdleStack {
    final ReentrantLock lock = new ReentrantLock();
    final ArrayDeque<Idle> entries = new ArrayDeque<>();
    boolean retired;
  }
}
