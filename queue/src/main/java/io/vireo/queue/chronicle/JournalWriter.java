package io.vireo.queue.chronicle;

import io.vireo.queue.Durability;
import io.vireo.queue.Envelope;
import io.vireo.queue.Histogram;
import io.vireo.queue.MessageContent;
import io.vireo.queue.SpoolEvent;
import io.vireo.queue.SpoolException;
import io.vireo.queue.SpoolFullException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one platform thread that appends to the journals. Callers (typically many virtual threads)
 * enqueue a {@link WriteRequest} and block until it is done. The thread drains every queued
 * request, appends them all, syncs once ({@link Durability#GROUP}), updates the in-memory state and
 * only then completes their futures: a caller that got its answer finds its message in the state
 * and on disk. Retention runs on this thread too, between batches, so it never races an append.
 */
final class JournalWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JournalWriter.class);

  /**
   * Requests waiting for the writer; a full queue makes callers wait (back-pressure), up to their
   * timeout.
   */
  static final int QUEUE_CAPACITY = 16_384;

  /** Most requests appended before one sync: bounds the latency of the first caller in a batch. */
  static final int MAX_BATCH = 4_096;

  private static final long IDLE_WAIT_NANOS = TimeUnit.MINUTES.toNanos(10);

  private final BlockingQueue<WriteRequest> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  private final ReentrantReadWriteLock submitLock = new ReentrantReadWriteLock();
  private final RecordWriter records;
  private final SpoolState state;
  private final CycleLedger ledger;
  private final Retention retention;
  private final Journals journals;
  private final Durability durability;
  private final Duration writeTimeout;
  private final long maintenancePeriodNanos;
  private final FreeSpaceGuard freeSpace;
  private final RecentContents recent;
  private final Thread thread;
  // Sync duration (ns) and requests per sync: 0.1 ms .. 2.5 s, and 1 .. MAX_BATCH.
  private final Histogram syncNanos =
      new Histogram(
          100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000, 25_000_000,
          50_000_000, 100_000_000, 250_000_000, 500_000_000, 1_000_000_000, 2_500_000_000L);
  private final Histogram syncBatch =
      new Histogram(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, MAX_BATCH);

  private boolean closed;
  private long lastEventIndex;
  private long nextMaintenanceNanos;

  JournalWriter(
      String name,
      Journals journals,
      RecordWriter records,
      JournalReader reader,
      RecoveryScan.Result recovered,
      Durability durability,
      Duration writeTimeout,
      Duration maintenancePeriod,
      FreeSpaceGuard freeSpace,
      RecentContents recent) {
    this.journals = journals;
    this.records = records;
    this.state = recovered.state();
    this.ledger = recovered.ledger();
    this.lastEventIndex = recovered.lastEventIndex();
    this.retention = new Retention(journals, reader, records, state, ledger);
    this.durability = durability;
    this.writeTimeout = writeTimeout;
    this.maintenancePeriodNanos = maintenancePeriod.toNanos();
    this.freeSpace = freeSpace;
    this.recent = recent;
    this.nextMaintenanceNanos = System.nanoTime() + maintenancePeriodNanos;
    this.thread = Thread.ofPlatform().name(name).daemon(false).unstarted(this::run);
  }

  void start() {
    thread.start();
  }

  /** Appends a message and returns once it is as durable as the spool's durability promises. */
  void store(Envelope envelope, MessageContent content, int crc) {
    submitAndWait(new WriteRequest.Store(envelope, content, crc, new CompletableFuture<>()));
  }

  void record(SpoolEvent event) {
    submitAndWait(new WriteRequest.Record(event, new CompletableFuture<>()));
  }

  /** Hands an event to the writer without waiting; a failure is logged by the writer. */
  void recordEventually(SpoolEvent event) {
    submit(new WriteRequest.Record(event, new CompletableFuture<>()));
  }

  /** Waits until everything submitted before is appended to the journal, without its sync. */
  void appended() {
    submitAndWait(new WriteRequest.Barrier(new CompletableFuture<>()));
  }

  void maintain() {
    submitAndWait(new WriteRequest.Maintain(new CompletableFuture<>()));
  }

  Histogram.Snapshot syncNanos() {
    return syncNanos.snapshot();
  }

  Histogram.Snapshot syncBatch() {
    return syncBatch.snapshot();
  }

  /** Serves everything already queued, then stops the thread. Idempotent. */
  @Override
  public void close() {
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    submitLock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      if (thread.isAlive()) {
        putUninterruptibly(new WriteRequest.Stop(stopped));
      }
    } finally {
      submitLock.writeLock().unlock();
    }
    try {
      thread.join(writeTimeout.multipliedBy(2));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      log.error(
          "spool writer did not stop within {}; closing the journals under it",
          writeTimeout.multipliedBy(2));
      records.close();
    }
    failRemaining();
  }

  private void submitAndWait(WriteRequest request) {
    long deadline = System.nanoTime() + writeTimeout.toNanos();
    submit(request);
    try {
      request.done().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new SpoolException(
          "the spool did not confirm a write within " + writeTimeout + "; it may still complete",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SpoolException(
          "interrupted while waiting for the spool writer; the write may still complete", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof SpoolFullException full) {
        throw new SpoolFullException(full.getMessage(), full);
      }
      throw new SpoolException(cause.getMessage(), cause);
    }
  }

  /** Queues a request for the writer thread, waiting at most the write timeout for room. */
  private void submit(WriteRequest request) {
    submitLock.readLock().lock();
    try {
      if (closed) {
        throw new SpoolException("the spool is closed");
      }
      if (!queue.offer(request, writeTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new SpoolException(
            "the spool writer accepted no request for "
                + writeTimeout
                + "; it is overloaded or stuck");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SpoolException("interrupted while handing a write to the spool", e);
    } finally {
      submitLock.readLock().unlock();
    }
  }

  private void run() {
    try {
      serve();
    } finally {
      // The appenders belong to this thread, so this thread closes them.
      records.close();
    }
  }

  private void serve() {
    List<WriteRequest> batch = new ArrayList<>();
    boolean stopping = false;
    while (!stopping) {
      try {
        // nanoTime values are only comparable by difference; without periodic maintenance, wake
        // only for requests (the long timeout just keeps the loop bounded).
        long wait =
            periodic() ? Math.max(0, nextMaintenanceNanos - System.nanoTime()) : IDLE_WAIT_NANOS;
        WriteRequest first = queue.poll(wait, TimeUnit.NANOSECONDS);
        if (first != null) {
          batch.add(first);
          queue.drainTo(batch, MAX_BATCH - 1);
          stopping = process(batch);
          batch.clear();
        }
        if (periodic() && System.nanoTime() - nextMaintenanceNanos >= 0) {
          boolean again = maintainSafely();
          nextMaintenanceNanos = System.nanoTime() + (again ? 0 : maintenancePeriodNanos);
        }
      } catch (InterruptedException e) {
        // Nobody interrupts this thread on purpose; close() asks it to stop through the queue
        // instead.
        log.warn("spool writer interrupted; it keeps serving until the spool is closed");
      } catch (RuntimeException | Error e) {
        log.error("spool writer: unexpected failure; failing the current batch and carrying on", e);
        for (WriteRequest request : batch) {
          request.done().completeExceptionally(new SpoolException("spool writer failure: " + e, e));
        }
        batch.clear();
      }
    }
  }

  private boolean periodic() {
    return maintenancePeriodNanos > 0;
  }

  /** Appends, syncs and completes one batch; true if it asked the writer to stop. */
  private boolean process(List<WriteRequest> batch) {
    List<Runnable> appliers = new ArrayList<>(batch.size());
    List<WriteRequest> appended = new ArrayList<>(batch.size());
    List<WriteRequest> after = new ArrayList<>();
    for (WriteRequest request : batch) {
      switch (request) {
        case WriteRequest.Store store -> {
          Runnable apply = appendStore(store);
          if (apply != null) {
            commit(List.of(request), List.of(apply), appended, appliers);
          }
        }
        case WriteRequest.Record record -> {
          Runnable apply = appendEvent(record);
          if (apply != null) {
            commit(List.of(request), List.of(apply), appended, appliers);
          }
        }
        // Requests are served in order, so all before it in this batch and earlier ones are in.
        case WriteRequest.Barrier barrier -> barrier.done().complete(null);
        case WriteRequest.Maintain maintain -> after.add(maintain);
        case WriteRequest.Stop stop -> after.add(stop);
      }
    }
    if (durability == Durability.GROUP && !appended.isEmpty()) {
      syncThenComplete(appended, appliers);
    } else if (durability == Durability.NONE) {
      records.releaseRolledFiles();
    }
    boolean stop = false;
    for (WriteRequest request : after) {
      if (request instanceof WriteRequest.Maintain) {
        try {
          retention.run(lastEventIndex);
          request.done().complete(null);
        } catch (IOException | RuntimeException e) {
          log.error("spool retention failed: {}", e.toString(), e);
          request
              .done()
              .completeExceptionally(new SpoolException("spool retention failed: " + e, e));
        }
      } else {
        stop = true;
        request.done().complete(null);
      }
    }
    return stop;
  }

  /**
   * With {@link Durability#ALWAYS} syncs and completes one request now; otherwise collects it for
   * the batch's single sync ({@code GROUP}) or completes it without one ({@code NONE}).
   */
  private void commit(
      List<WriteRequest> requests,
      List<Runnable> apply,
      List<WriteRequest> appended,
      List<Runnable> appliers) {
    switch (durability) {
      case ALWAYS -> syncThenComplete(requests, apply);
      case GROUP -> {
        appended.addAll(requests);
        appliers.addAll(apply);
      }
      case NONE -> complete(requests, apply);
    }
  }

  private void syncThenComplete(List<WriteRequest> requests, List<Runnable> apply) {
    try {
      long started = System.nanoTime();
      if (records.messagesDirty()) {
        records.syncMessages();
      }
      if (records.eventsDirty()) {
        records.syncEvents();
      }
      syncNanos.record(System.nanoTime() - started);
      syncBatch.record(requests.size());
    } catch (IOException | RuntimeException e) {
      records.resetSync();
      SpoolException failure = classify("syncing " + requests.size() + " spool write(s) failed", e);
      log.error("{}", failure.getMessage(), e);
      for (WriteRequest request : requests) {
        request.done().completeExceptionally(failure);
      }
      return;
    }
    complete(requests, apply);
  }

  private static void complete(List<WriteRequest> requests, List<Runnable> apply) {
    // State first: whoever is woken must find what it wrote.
    for (Runnable runnable : apply) {
      runnable.run();
    }
    for (WriteRequest request : requests) {
      request.done().complete(null);
    }
  }

  /**
   * Appends a message; returns what publishes it in the state, or null after failing the request.
   */
  private Runnable appendStore(WriteRequest.Store store) {
    Envelope envelope = store.envelope();
    long eventsAfter = lastEventIndex;
    try {
      JournalPosition position =
          records.appendMessage(envelope, null, eventsAfter, store.content(), store.crc());
      ledger.recordWritten(journals, position, eventsAfter);
      SpoolEntry entry =
          SpoolEntry.stored(envelope, store.content().size(), store.crc(), position, eventsAfter);
      MessageContent content = store.content();
      return () -> {
        state.put(entry);
        recent.stored(envelope.id(), content);
      };
    } catch (IOException | RuntimeException | InternalError e) {
      // InternalError: what the JVM raises when a write into a mapped file faults (SIGBUS), e.g.
      // ENOSPC.
      records.resetAppenders();
      SpoolException failure = classify("storing message " + envelope.id() + " failed", e);
      log.error("{}", failure.getMessage(), e);
      store.done().completeExceptionally(failure);
      return null;
    }
  }

  private Runnable appendEvent(WriteRequest.Record record) {
    SpoolEvent event = record.event();
    try {
      lastEventIndex = records.appendEvent(event);
      return () -> {
        state.apply(event);
        if (state.live(event.messageId()) == null) {
          recent.finished(event.messageId());
        }
      };
    } catch (IOException | RuntimeException | InternalError e) {
      records.resetAppenders();
      SpoolException failure =
          classify("recording an event for message " + event.messageId() + " failed", e);
      log.error("{}", failure.getMessage(), e);
      record.done().completeExceptionally(failure);
      return null;
    }
  }

  private SpoolException classify(String what, Throwable cause) {
    String message = what + ": " + cause;
    return freeSpace.isNearlyFull()
        ? new SpoolFullException(message + " (the spool's disk is full)", cause)
        : new SpoolException(message, cause);
  }

  /** One retention pass, logged and survived on failure; true if it wants to run again soon. */
  private boolean maintainSafely() {
    try {
      return retention.run(lastEventIndex).budgetExhausted();
    } catch (IOException | RuntimeException e) {
      log.error("spool retention failed: {}", e.toString(), e);
      return false;
    }
  }

  private void putUninterruptibly(WriteRequest request) {
    boolean interrupted = false;
    while (true) {
      try {
        queue.put(request);
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void failRemaining() {
    List<WriteRequest> left = new ArrayList<>();
    queue.drainTo(left);
    for (WriteRequest request : left) {
      request.done().completeExceptionally(new SpoolException("the spool is closed"));
    }
  }
}
