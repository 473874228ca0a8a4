package io.vireo.relay.delivery.schedule;

import io.vireo.config.DeliveryConfig;
import io.vireo.queue.Envelope;
import io.vireo.queue.MessageId;
import io.vireo.queue.QueuedMessage;
import io.vireo.queue.Recipient;
import io.vireo.queue.RecipientState;
import io.vireo.queue.RecipientStatus;
import io.vireo.queue.Spool;
import io.vireo.relay.delivery.DestinationStats;
import io.vireo.relay.delivery.outcome.ContentSource;
import io.vireo.relay.delivery.outcome.LocalReplies;
import io.vireo.relay.delivery.outcome.Outcomes;
import io.vireo.relay.delivery.outcome.RecipientOutcome;
import io.vireo.relay.delivery.schedule.limits.SharedLimits;
import io.vireo.relay.delivery.smtp.ConnectionOpener;
import io.vireo.relay.delivery.smtp.ConnectionPool;
import io.vireo.relay.delivery.transport.MailboxTransport;
import io.vireo.relay.delivery.transport.OutboundMessages;
import io.vireo.relay.delivery.transport.Router;
import io.vireo.relay.delivery.transport.Routing;
import io.vireo.relay.local.LocalDelivery;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes recipients from "due" to a worker: the {@link DeliveryTimer} holds them until their next
 * attempt; when they are due, a lookup task (a virtual thread, at most {@code maxConcurrentLookups}
 * at once) reads their current state from the spool, skips those already final, and routes them by
 * domain ({@link Router}). Domains whose MX hosts are the same set share one {@link Destination}
 * ("MX rollup"), whose workers ({@link DestinationWorker} for SMTP, {@link MailboxWorker} for
 * mailboxes) send the jobs and hand every result to {@link Outcomes}.
 *
 * <p>Thread-safe. {@link #submit} never blocks.
 */
public final class Scheduler {
  private static final Logger log = LoggerFactory.getLogger(Scheduler.class);
  private static final Duration LOOKUP_SLOT_WAIT = Duration.ofMillis(200);
  private static final Duration AFTER_INTERRUPT = Duration.ofSeconds(5);

  // Both replaced together by a reload; a lookup task reads them once per message.
  private volatile DeliveryConfig config;
  private volatile Router router;
  private final Spool spool;
  private final Ticker ticker;
  private final Predicate<String> held;
  private final Outcomes outcomes;
  private final int recipientsPerTransaction;
  private final Semaphore lookupSlots;
  private final DeliveryTimer timer;
  private final Tasks tasks = new Tasks();
  private final WorkerCounters counters = new WorkerCounters();
  private final Destinations destinations;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * @param config {@code delivery}: backoff, {@code max-connections}, first retry delay
   * @param router where each domain's mail goes
   * @param held recipients not to attempt now ({@code suppression.action: hold})
   * @param outcomes where every attempt's results go
   * @param opener opens SMTP connections; {@code pool} keeps them between transactions
   * @param local the mailboxes of the local and capture transports
   * @param maxConcurrentLookups due messages being routed at once
   * @param recipientsPerTransaction recipients of one message per job at most
   */
  public Scheduler(
      DeliveryConfig config,
      Router router,
      Spool spool,
      Ticker ticker,
      SharedLimits limits,
      Predicate<String> held,
      Outcomes outcomes,
      ConnectionOpener opener,
      ConnectionPool pool,
      LocalDelivery local,
      int maxConcurrentLookups,
      int recipientsPerTransaction) {
    this.config = Objects.requireNonNull(config, "config");
    this.router = Objects.requireNonNull(router, "router");
    this.spool = Objects.requireNonNull(spool, "spool");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.held = Objects.requireNonNull(held, "held");
    this.outcomes = Objects.requireNonNull(outcomes, "outcomes");
    this.recipientsPerTransaction = recipientsPerTransaction;
    this.lookupSlots = new Semaphore(maxConcurrentLookups);
    this.timer = new DeliveryTimer(ticker, this::handOff);
    DestinationWorker.Context smtp =
        new DestinationWorker.Context(
            spool,
            ticker,
            Objects.requireNonNull(opener, "opener"),
            Objects.requireNonNull(pool, "pool"),
            new Semaphore(config.maxConnections(), true),
            new OutboundMessages(),
            outcomes,
            counters,
            closed::get,
            this::forgetIfIdle);
    MailboxWorker.Context mailbox =
        new MailboxWorker.Context(
            spool, ticker, new MailboxTransport(local), outcomes, closed::get, this::forgetIfIdle);
    this.destinations =
        new Destinations(
            Objects.requireNonNull(limits, "limits"),
            () -> this.config.backoff(),
            tasks,
            closed::get,
            destination -> new DestinationWorker(destination, smtp),
            destination -> new MailboxWorker(destination, mailbox));
  }

  /** A reloaded {@code delivery} section and its router, for the lookups from now on. */
  public void reconfigure(DeliveryConfig next, Router nextRouter) {
    this.router = Objects.requireNonNull(nextRouter, "router");
    this.config = Objects.requireNonNull(next, "config");
  }

  /**
   * Starts the timer, and schedules {@code backlog} beside it: pending and deferred recipients at
   * their next attempt, failed ones (a bounce owed from before a restart) at once.
   */
  public void start(List<QueuedMessage> backlog) {
    timer.start();
    Thread.ofVirtual().name("delivery-backlog").start(() -> schedule(backlog, ticker.now()));
  }

  private void schedule(List<QueuedMessage> backlog, Instant now) {
    int messages = 0;
    int recipients = 0;
    for (QueuedMessage message : backlog) {
      if (closed.get()) {
        log.info("delivery backlog scheduling stopped: the engine is closing");
        return;
      }
      Map<Instant, List<String>> byTime = new LinkedHashMap<>();
      for (RecipientStatus status : message.recipients()) {
        if (status.state().isFinal() || status.state() == RecipientState.HELD) {
          continue;
        }
        Instant at =
            status.state() == RecipientState.FAILED || status.nextAttempt() == null
                ? now
                : status.nextAttempt();
        byTime.computeIfAbsent(at, t -> new ArrayList<>()).add(status.recipient().address());
        recipients++;
      }
      byTime.forEach((at, addresses) -> timer.schedule(at, message.id(), addresses));
      messages++;
    }
    log.info("delivery started: {} messages with {} recipients to deliver", messages, recipients);
  }

  /** Attempts every recipient of a newly spooled message now. Never blocks. */
  public void submit(Envelope envelope) {
    if (closed.get()) {
      log.debug("{}: not scheduled, the engine is closing (the spool keeps it)", envelope.id());
      return;
    }
    Instant now = ticker.now();
    List<String> addresses = envelope.recipients().stream().map(Recipient::address).toList();
    // Due now: start its lookup right here when a slot is free, rather than waking the timer
    // thread to do it (one thread hand-off fewer per accepted message). The timer takes it
    // otherwise.
    if (lookupSlots.tryAcquire()) {
      startLookup(new DeliveryTimer.Due(now, envelope.id(), addresses));
    } else {
      timer.schedule(now, envelope.id(), addresses);
    }
  }

  /** Hands {@code addresses} of message {@code id} to a lookup at {@code at}. */
  public void schedule(Instant at, MessageId id, List<String> addresses) {
    if (closed.get() || addresses.isEmpty()) {
      return;
    }
    timer.schedule(at, id, addresses);
  }

  /** See {@code DeliveryEngine.suspend}. */
  public boolean suspend(String key) {
    return destinations.suspend(key);
  }

  /** See {@code DeliveryEngine.resume}. */
  public boolean resume(String key) {
    return destinations.resume(key);
  }

  /** Jobs waiting in the destinations' ready queues, not yet taken by a worker. */
  public int queuedJobs() {
    return destinations.queuedJobs();
  }

  /** Destinations known now (queued work, workers or backoff). */
  public int destinations() {
    return destinations.size();
  }

  /** Entries waiting on the timer for their next attempt. */
  public int scheduled() {
    return timer.size();
  }

  /** Every destination's queue now (a scan of their ready jobs). */
  public List<DestinationStats> queues() {
    return destinations.stats(ticker.now());
  }

  public WorkerCounters counters() {
    return counters;
  }

  /**
   * Stops taking work, lets running transactions finish for up to {@code grace} and interrupts what
   * is still running. Idempotent.
   */
  public void close(Duration grace) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    timer.close();
    if (!tasks.awaitAll(grace)) {
      log.warn(
          "{} deliveries still running after {}; interrupting them",
          tasks.running(),
          LocalReplies.human(grace));
      tasks.interruptAll();
      if (!tasks.awaitAll(AFTER_INTERRUPT)) {
        log.warn("{} deliveries did not stop after an interrupt", tasks.running());
      }
    }
  }

  /** Timer thread: start a lookup task for due recipients once a slot is free. */
  private void handOff(DeliveryTimer.Due due) {
    try {
      while (!lookupSlots.tryAcquire(LOOKUP_SLOT_WAIT.toNanos(), TimeUnit.NANOSECONDS)) {
        if (closed.get()) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    startLookup(due);
  }

  /** Runs {@code due}'s lookup task on a virtual thread; the caller holds a lookup slot for it. */
  private void startLookup(DeliveryTimer.Due due) {
    try {
      tasks.start(
          "delivery-route-" + due.id(),
          () -> {
            try {
              dispatch(due);
            } finally {
              lookupSlots.release();
            }
          });
    } catch (RuntimeException | Error e) {
      lookupSlots.release();
      throw e;
    }
  }

  /** Lookup task: current state, then routing, then the destinations' ready queues. */
  private void dispatch(DeliveryTimer.Due due) {
    if (closed.get()) {
      return;
    }
    Optional<QueuedMessage> found;
    try {
      found = spool.find(due.id());
    } catch (RuntimeException e) {
      log.warn("{}: cannot read its state: {}", due.id(), e.toString());
      if (!closed.get()) {
        timer.schedule(
            ticker.now().plus(config.retry().schedule().getFirst()), due.id(), due.recipients());
      }
      return;
    }
    if (found.isEmpty()) {
      log.debug("{}: no longer in the spool", due.id());
      return;
    }
    QueuedMessage message = found.get();
    Map<String, RecipientStatus> byAddress = new LinkedHashMap<>();
    for (RecipientStatus status : message.recipients()) {
      byAddress.putIfAbsent(status.recipient().address(), status);
    }
    List<RecipientStatus> bounceOwed = new ArrayList<>();
    List<RecipientOutcome> heldNow = new ArrayList<>();
    Map<String, List<RecipientStatus>> byDomain = new LinkedHashMap<>();
    for (String address : due.recipients()) {
      RecipientStatus status = byAddress.get(address);
      // Held by the operator: its release schedules it again.
      if (status == null || status.state().isFinal() || status.state() == RecipientState.HELD) {
        continue;
      }
      if (status.state() == RecipientState.FAILED) {
        bounceOwed.add(status);
      } else if (held.test(address)) {
        heldNow.add(new RecipientOutcome.Held(status, LocalReplies.held()));
      } else {
        byDomain.computeIfAbsent(status.recipient().domain(), d -> new ArrayList<>()).add(status);
      }
    }
    if (!bounceOwed.isEmpty()) {
      outcomes.bounceOwed(message.envelope(), bounceOwed);
    }
    if (!heldNow.isEmpty()) {
      outcomes.record(message.envelope(), heldNow, ContentSource.fromSpool(spool, message.id()));
    }
    if (!byDomain.isEmpty()) {
      route(message.envelope(), byDomain);
    }
  }

  private void route(Envelope envelope, Map<String, List<RecipientStatus>> byDomain) {
    List<RecipientOutcome> unroutable = new ArrayList<>();
    Map<String, Routing.Deliver> routes = new LinkedHashMap<>();
    Map<String, List<RecipientStatus>> byDestination = new LinkedHashMap<>();
    for (Map.Entry<String, List<RecipientStatus>> entry : byDomain.entrySet()) {
      Routing routing;
      try {
        routing = router.route(entry.getKey());
      } catch (RuntimeException e) {
        log.warn("{}: routing {} failed: {}", envelope.id(), entry.getKey(), e.toString());
        routing = new Routing.Defer(LocalReplies.localProblem("routing failed: " + e.getMessage()));
      }
      switch (routing) {
        case Routing.Deliver deliver -> {
          // Domains with the same MX hosts go together: one transaction, one queue (MX rollup).
          routes.putIfAbsent(deliver.destination(), deliver);
          byDestination
              .computeIfAbsent(deliver.destination(), k -> new ArrayList<>())
              .addAll(entry.getValue());
        }
        case Routing.Fail fail ->
            entry
                .getValue()
                .forEach(
                    s -> unroutable.add(new RecipientOutcome.Undeliverable(s, null, fail.reply())));
        case Routing.Defer defer ->
            entry
                .getValue()
                .forEach(
                    s ->
                        unroutable.add(
                            new RecipientOutcome.TryAgain(s, null, defer.reply(), null)));
      }
    }
    if (!unroutable.isEmpty()) {
      outcomes.record(envelope, unroutable, ContentSource.fromSpool(spool, envelope.id()));
    }
    byDestination.forEach(
        (key, recipients) -> {
          Routing.Deliver deliver = routes.get(key);
          for (int from = 0; from < recipients.size(); from += recipientsPerTransaction) {
            List<RecipientStatus> chunk =
                recipients.subList(
                    from, Math.min(recipients.size(), from + recipientsPerTransaction));
            destinations.offer(deliver, new DeliveryJob(envelope, chunk, deliver.transport()));
          }
        });
  }

  private void forgetIfIdle(Destination destination) {
    destinations.forgetIfIdle(destination);
  }
}
