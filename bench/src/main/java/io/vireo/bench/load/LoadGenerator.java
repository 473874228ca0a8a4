package io.vireo.bench.load;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one SMTP load test: {@code connections} workers, each on its own thread (virtual by default),
 * share out the warm-up messages, then the measured ones, then QUIT. The whole run is bounded by the
 * duration limit: no message starts after it, and workers still blocked then are interrupted and their
 * sockets closed, so {@link #run()} returns soon after the limit.
 */
public final class LoadGenerator {
  private static final Logger log = LoggerFactory.getLogger(LoadGenerator.class);

  private final LoadOptions options;
  private final Clock clock;
  private final LongSupplier nanoTicker;

  public LoadGenerator(LoadOptions options) {
    this(options, Clock.systemDefaultZone(), System::nanoTime);
  }

  /** A generator reading the Date header from {@code clock} and measuring with {@code nanoTicker}. */
  public LoadGenerator(LoadOptions options, Clock clock, LongSupplier nanoTicker) {
    this.options = options;
    this.clock = clock;
    this.nanoTicker = nanoTicker;
  }

  /** Runs the test and returns what the measured phase saw. */
  public LoadReport run() throws InterruptedException {
    String runId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(clock));
    LoadPlan plan = LoadPlan.create(options, runId, date, nanoTicker);
    List<LoadWorker> workers = new ArrayList<>(options.connections());
    for (int i = 0; i < options.connections(); i++) {
      workers.add(new LoadWorker(plan));
    }
    long deadline = nanoTicker.getAsLong() + options.durationLimit().toNanos();
    long warmupEnd = options.warmup();
    WorkerStats warmup = new WorkerStats();
    if (warmupEnd > 0) {
      warmup = runPhase(workers, new Phase(1, warmupEnd, deadline));
    }
    long measureStart = nanoTicker.getAsLong();
    WorkerStats measured =
        runPhase(workers, new Phase(warmupEnd + 1, warmupEnd + options.messages(), deadline));
    Duration elapsed = Duration.ofNanos(nanoTicker.getAsLong() - measureStart);
    quitAll(workers);
    boolean stoppedByDeadline = measured.attempted < options.messages();
    return LoadReport.from(
        measured, warmup.connectionsOpened + measured.connectionsOpened, elapsed, stoppedByDeadline);
  }

  private WorkerStats runPhase(List<LoadWorker> workers, Phase phase) throws InterruptedException {
    List<WorkerStats> stats = new ArrayList<>(workers.size());
    List<Thread> threads = new ArrayList<>(workers.size());
    for (int i = 0; i < workers.size(); i++) {
      LoadWorker worker = workers.get(i);
      WorkerStats workerStats = new WorkerStats();
      stats.add(workerStats);
      threads.add(options.threads().start("load-" + i, () -> worker.run(phase, workerStats)));
    }
    joinBy(threads, phase.deadlineNanos(), () -> workers.forEach(LoadWorker::abort));
    WorkerStats total = new WorkerStats();
    stats.forEach(total::add);
    return total;
  }

  /**
   * Joins {@code threads}; if any still runs at the deadline, all are interrupted, {@code abort} runs
   * (a platform thread's blocking read ignores interrupts, a closed socket does not) and they get one
   * reply timeout to finish.
   */
  private void joinBy(List<Thread> threads, long deadlineNanos, Runnable abort)
      throws InterruptedException {
    for (Thread thread : threads) {
      long left = deadlineNanos - nanoTicker.getAsLong();
      if (left <= 0 || !thread.join(Duration.ofNanos(left))) {
        break;
      }
    }
    if (threads.stream().noneMatch(Thread::isAlive)) {
      return;
    }
    log.info("deadline reached; interrupting the threads still running");
    threads.forEach(Thread::interrupt);
    abort.run();
    long graceEnd = nanoTicker.getAsLong() + options.replyTimeout().toNanos();
    for (Thread thread : threads) {
      long left = Math.max(1, graceEnd - nanoTicker.getAsLong());
      if (!thread.join(Duration.ofNanos(left))) {
        log.warn("worker {} did not stop after its interrupt", thread.getName());
      }
    }
  }

  /** Sends QUIT on every kept connection, in parallel, bounded by one reply timeout. */
  private void quitAll(List<LoadWorker> workers) throws InterruptedException {
    List<Thread> threads = new ArrayList<>(workers.size());
    for (int i = 0; i < workers.size(); i++) {
      threads.add(options.threads().start("load-quit-" + i, workers.get(i)::quit));
    }
    joinBy(
        threads,
        nanoTicker.getAsLong() + options.replyTimeout().toNanos(),
        () -> workers.forEach(LoadWorker::abort));
  }
}
