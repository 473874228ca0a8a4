package io.vireo.relay.delivery;

import io.vireo.config.DeliveryConfig;
import io.vireo.config.RouteConfig;
import io.vireo.config.ShapingRule;
import io.vireo.config.TlsMode;
import io.vireo.queue.Envelope;
import io.vireo.queue.MessageId;
import io.vireo.queue.MessageIdGenerator;
import io.vireo.queue.QueuedMessage;
import io.vireo.queue.Recipient;
import io.vireo.queue.RecipientState;
import io.vireo.queue.RecipientStatus;
import io.vireo.queue.Spool;
import io.vireo.relay.delivery.dsn.DsnComposer;
import io.vireo.relay.delivery.limits.LocalLimits;
import io.vireo.relay.delivery.limits.SharedLimits;
import io.vireo.relay.delivery.smtp.ClientTimeouts;
import io.vireo.relay.delivery.smtp.ConnectionOpener;
import io.vireo.relay.delivery.smtp.ConnectionPool;
import io.vireo.relay.delivery.smtp.PoolLimits;
import io.vireo.relay.delivery.smtp.SmtpClientConnection;
import io.vireo.relay.dns.MxResolver;
import io.vireo.relay.local.LocalDelivery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery engine: takes spooled messages to their destinations, retries what failed
 * temporarily, and bounces what failed for good.
 *
 * <p>Data flow: {@link #start()} (everything the spool still holds) and {@link #submit} (each newly
 * accepted message) put recipients on the {@link DeliveryTimer}, keyed by their next attempt. When
 * they are due, a lookup task reads their current state from the spool, skips those already final,
 * and routes them by domain ({@link Router}: a {@code delivery.routes} smarthost, else the MX
 * hosts). Domains whose MX hosts are the same set share one {@link Destination} ("MX rollup"), with
 * one ready queue, connection limit, rate and backoff. {@link DestinationWorker}s (virtual threads,
 * at most the destination's {@code connections}, all of them under {@code
 * delivery.max-connections}) send the jobs over reused connections, and {@link Outcomes} writes
 * every recipient's outcome to the spool's events journal before acting on it: rescheduling it on
 * the timer, bouncing it, logging it.
 *
 * <p>Thread-safe. {@link #submit} never blocks, so it can be the SMTP server's accept hook.
 */
public final class DeliveryEngine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DeliveryEngine.class);
  private static final Duration LOOKUP_SLOT_WAIT = Duration.ofMillis(200);
  private static final Duration AFTER_INTERRUPT = Duration.ofSeconds(5);
  private static final Duration MAX_SWEEP_INTERVAL = Duration.ofSeconds(5);

  // Both replaced together by a reload; a lookup task reads them once per message.
  private volatile DeliveryConfig config;
  private volatile Router router;
  private final MxResolver resolver;
  private final RandomGenerator random;
  private final Spool spool;
  private final Clock clock;
  private final DeliveryTuning tuning;
  private final SharedLimits limits;
  private final ConnectionPool pool;
  private final DeliveryTimer timer;
  private final Outcomes outcomes;
  private final DeliveryCounters counters = new DeliveryCounters();
  private final Map<String, Destination> destinations = new ConcurrentHashMap<>();
  // Suspended by the operator: kept apart from the destinations, which come and go with their
  // queues, so a suspension holds until resumed (across reloads; not across a restart).
  private final Set<String> suspendedByOperator = ConcurrentHashMap.newKeySet();
  private final Semaphore lookupSlots;
  private final Tasks tasks = new Tasks();
  private final DestinationWorker.Context workerContext;
  private final MailboxWorker.Context mailboxContext;
  private final LocalDelivery local;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final DeliveryHooks hooks;

  /** An engine with every part given and this node's own limits ({@link LocalLimits}). */
  public DeliveryEngine(
      DeliveryConfig config,
      Spool spool,
      MxResolver resolver,
      ConnectionOpener opener,
      DsnComposer composer,
      Clock clock,
      RandomGenerator random,
      DeliveryTuning tuning) {
    this(config, spool, resolver, opener, composer, clock, random, tuning, new LocalLimits());
  }

  /**
   * An engine with every part given.
   *
   * @param config {@code delivery} from vireo.yaml
   * @param spool where messages are and where outcomes go
   * @param resolver MX lookups
   * @param opener opens SMTP connections (with this relay's HELO name, TLS trust and timeouts); the
   *     engine pools what it opens
   * @param composer writes the delivery status notifications
   * @param clock the time of every event and schedule
   * @param random jitter for retry delays
   * @param tuning settings outside vireo.yaml
   * @param limits where per-destination rates and connection caps are held (this node's own, or
   *     shared through {@code cluster.redis}); the engine closes it
   */
  public DeliveryEngine(
      DeliveryConfig config,
      Spool spool,
      MxResolver resolver,
      ConnectionOpener opener,
      DsnComposer composer,
      Clock clock,
      RandomGenerator random,
      DeliveryTuning tuning,
      SharedLimits limits) {
    this(
        config,
        spool,
        resolver,
        opener,
        composer,
        clock,
        random,
        tuning,
        limits,
        DeliveryHooks.NONE,
        LocalDelivery.none());
  }

  /**
   * An engine with every part given, reporting outcomes and asking about holds through {@code
   * hooks}, local mailboxes included.
   *
   * @param local the local domains and the mailbox store the local and capture transports write
   *     to (a reload reconfigures it directly; routing asks it at each lookup)
   */
  public DeliveryEngine(
      DeliveryConfig config,
      Spool spool,
      MxResolver resolver,
      ConnectionOpener opener,
      DsnComposer composer,
      Clock clock,
      RandomGenerator random,
      DeliveryTuning tuning,
      SharedLimits limits,
      DeliveryHooks hooks,
      LocalDelivery local) {
    this.hooks = Objects.requireNonNull(hooks, "hooks");
    this.config = Objects.requireNonNull(config, "config");
    this.local = Objects.requireNonNull(local, "local");
    this.spool = Objects.requireNonNull(spool, "spool");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.tuning = Objects.requireNonNull(tuning, "tuning");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    this.random = Objects.requireNonNull(random, "random");
    this.router = new Router(config, resolver, local);
    Duration idle = config.defaults().idleTimeout();
    Duration sweep =
        idle.dividedBy(2).compareTo(MAX_SWEEP_INTERVAL) < 0
            ? idle.dividedBy(2)
            : MAX_SWEEP_INTERVAL;
    // One pool for all destinations: messages per connection are counted by the workers, per
    // destination, so the pool's own limit is out of the way.
    this.pool =
        new ConnectionPool(
            new PoolLimits(
                idleConnectionsPerServer(config),
                Integer.MAX_VALUE,
                idle,
                sweep.isZero() ? Duration.ofMillis(1) : sweep),
            Objects.requireNonNull(opener, "opener"),
            clock);
    this.timer = new DeliveryTimer(clock, this::handOff);
    this.outcomes =
        new Outcomes(
            spool,
            clock,
            new RetryPolicy(config.retry(), random),
            Objects.requireNonNull(composer, "composer"),
            config.delayWarning(),
            counters,
            timer,
            report -> {
              hooks.reportQueued().accept(report);
              submit(report);
            },
            hooks.events());
    this.lookupSlots = new Semaphore(tuning.maxConcurrentLookups());
    spool.onFinished(DeliveryLog::removed);
    this.workerContext =
        new DestinationWorker.Context(
            spool,
            clock,
            opener,
            pool,
            new Semaphore(config.maxConnections(), true),
            new OutboundMessages(),
            outcomes,
            counters,
            closed::get,
            this::forgetIfIdle);
    this.mailboxContext =
        new MailboxWorker.Context(spool, clock, local, outcomes, closed::get, this::forgetIfIdle);
    checkRoutes(config);
  }

  private static void checkRoutes(DeliveryConfig config) {
    for (RouteConfig route : config.routes()) {
      // Credentials the client could never send (a line break) fail here, not at every attempt.
      route.authentication().ifPresent(Router::credentials);
      if (route.authentication().isPresent() && route.tls() == TlsMode.NONE) {
        log.warn(
            "route {} -> {} authenticates with tls: none: its password crosses the network"
                + " unencrypted",
            route.domains(),
            route.via());
      }
    }
  }

  /**
   * Applies a reloaded {@code delivery} section: routes, shaping, destination defaults, port, TLS
   * policy, retry schedule, delay warning and backoff hold for the lookups and outcomes from now
   * on; a destination busy now keeps its connection limit and rate until it empties. The resolver,
   * the HELO name, {@code max-connections} and the pool's idle timeout are fixed at start (a
   * restart changes them).
   *
   * @throws IllegalArgumentException when a route's credentials cannot be sent
   */
  public void reconfigure(DeliveryConfig next) {
    Objects.requireNonNull(next, "config");
    checkRoutes(next);
    Router nextRouter = new Router(next, resolver, local);
    outcomes.reconfigure(new RetryPolicy(next.retry(), random), next.delayWarning());
    this.router = nextRouter;
    this.config = next;
  }

  /**
   * The engine for a relay: connections with RFC 5321 timeouts, the JDK's trust store for {@code
   * verify}, this host's name in EHLO (unless {@code delivery.helo-name} says otherwise) and in the
   * reports.
   */
  public static DeliveryEngine create(
      DeliveryConfig config,
      String hostname,
      Spool spool,
      MxResolver resolver,
      MessageIdGenerator ids,
      Clock clock) {
    return create(config, hostname, spool, resolver, ids, clock, new LocalLimits());
  }

  /**
   * As {@link #create(DeliveryConfig, String, Spool, MxResolver, MessageIdGenerator, Clock)}, with
   * the limits given (shared through {@code cluster.redis}); the engine closes them.
   */
  public static DeliveryEngine create(
      DeliveryConfig config,
      String hostname,
      Spool spool,
      MxResolver resolver,
      MessageIdGenerator ids,
      Clock clock,
      SharedLimits limits) {
    return create(
        config,
        hostname,
        spool,
        resolver,
        ids,
        clock,
        limits,
        DeliveryHooks.NONE,
        LocalDelivery.none());
  }

  /**
   * As above, reporting outcomes and asking about holds through {@code hooks}, with local mailboxes
   * for the local and capture transports.
   */
  public static DeliveryEngine create(
      DeliveryConfig config,
      String hostname,
      Spool spool,
      MxResolver resolver,
      MessageIdGenerator ids,
      Clock clock,
      SharedLimits limits,
      DeliveryHooks hooks,
      LocalDelivery local) {
    return new DeliveryEngine(
        config,
        spool,
        resolver,
        SmtpClientConnection.opener(config.heloNameOr(hostname), null, ClientTimeouts.rfc5321()),
        new DsnComposer(hostname, ids, clock),
        clock,
        new Random(),
        DeliveryTuning.defaults(),
        limits,
        hooks,
        local);
  }

  /**
   * Schedules everything the spool holds: pending and deferred recipients at their next attempt,
   * failed ones (a bounce owed from before a restart) at once. Call once, before the SMTP server
   * starts handing over new messages.
   */
  public void start() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("the delivery engine was already started");
    }
    // The snapshot is taken now, before the listener opens, so nothing accepted later is in it (and
    // so scheduled twice); scheduling a large backlog then runs beside the listener instead of
    // delaying it (1,000,000 messages take seconds).
    List<QueuedMessage> backlog = spool.pending();
    timer.start();
    Thread.ofVirtual().name("delivery-backlog").start(() -> schedule(backlog, clock.instant()));
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

  /**
   * Schedules a newly spooled message for delivery now; the SMTP server's accept hook. Never
   * blocks. Call once per message: each call is a delivery attempt of all its recipients.
   */
  public void submit(Envelope envelope) {
    if (closed.get()) {
      log.debug("{}: not scheduled, the engine is closing (the spool keeps it)", envelope.id());
      return;
    }
    Instant now = clock.instant();
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

  /**
   * Attempts {@code addresses} of message {@code id} now ({@code queue flush}, {@code queue
   * bounce}): the lookup reads their state from the spool, so a recipient already final is
   * skipped and a failed one is bounced. An attempt they already had scheduled stays on the timer
   * and finds them final, or tries them once more then.
   */
  public void attemptNow(MessageId id, List<String> addresses) {
    if (closed.get() || addresses.isEmpty()) {
      return;
    }
    timer.schedule(clock.instant(), id, addresses);
  }

  /**
   * Suspends delivery to {@code key} until {@link #resume} ({@code vireo destination suspend}):
   * its due recipients wait in its queue, its workers leave after their transaction. A key not
   * known yet is suspended when it appears. Lasts across reloads, not across a restart. False
   * when it was suspended already.
   */
  public boolean suspend(String key) {
    Objects.requireNonNull(key, "key");
    boolean added = suspendedByOperator.add(key);
    Destination destination = destinations.get(key);
    if (destination != null) {
      destination.pause();
    }
    if (added) {
      DeliveryLog.LOG.info("destination {} suspended by the operator", key);
    }
    return added;
  }

  /** Lets delivery to {@code key} go on; false when the operator had not suspended it. */
  public boolean resume(String key) {
    Objects.requireNonNull(key, "key");
    boolean removed = suspendedByOperator.remove(key);
    Destination destination = destinations.get(key);
    if (destination != null) {
      int workers = destination.resume();
      for (int i = 0; i < workers; i++) {
        tasks.start("delivery-" + key, new DestinationWorker(destination, workerContext));
      }
      forgetIfIdle(destination);
    }
    if (removed) {
      DeliveryLog.LOG.info("destination {} resumed by the operator", key);
    }
    return removed;
  }

  /** Jobs waiting in the destinations' ready queues, not yet taken by a worker. */
  int queuedJobs() {
    return destinations.values().stream().mapToInt(Destination::queued).sum();
  }

  /** The counters so far, and every destination's queue now (a scan of their ready jobs). */
  public DeliveryStats stats() {
    Instant now = clock.instant();
    List<DestinationStats> queues = new ArrayList<>(destinations.size());
    for (Destination destination : destinations.values()) {
      queues.add(destination.stats(now));
    }
    for (String key : suspendedByOperator) {
      if (!destinations.containsKey(key)) {
        queues.add(new DestinationStats(key, 0, 0, null, true, true));
      }
    }
    return new DeliveryStats(
        counters.attempts.sum(),
        counters.delivered.sum(),
        counters.deferred.sum(),
        counters.bounced.sum(),
        counters.expired.sum(),
        counters.bouncesQueued.sum(),
        counters.delayNotices.sum(),
        counters.suspensions.sum(),
        counters.connectionsOpened.sum(),
        counters.connectionsReused.sum(),
        destinations.size(),
        timer.size(),
        counters.acceptToDeliveredMillis.snapshot(),
        pool.stats(),
        queues,
        limits.fallbacks());
  }

  /**
   * Stops taking work, lets running transactions finish for up to the shutdown grace, interrupts
   * what is still running, and closes pooled connections. Recipients not attempted stay as the
   * spool has them and are picked up by the next {@link #start()}. Idempotent.
   */
  @Override
  public void close() {
    close(tuning.shutdownGrace());
  }

  /** As {@link #close()}, with {@code grace} as the time running transactions get to finish. */
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
    pool.close();
    DeliveryStats stats = stats();
    limits.close();
    log.info(
        "delivery stopped: {} delivered, {} deferred, {} bounced, {} connections opened, {} reused",
        stats.delivered(),
        stats.deferred(),
        stats.bounced(),
        stats.connectionsOpened(),
        stats.connectionsReused());
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
            clock.instant().plus(config.retry().schedule().getFirst()), due.id(), due.recipients());
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
    List<RecipientOutcome> held = new ArrayList<>();
    Map<String, List<RecipientStatus>> byDomain = new LinkedHashMap<>();
    for (String address : due.recipients()) {
      RecipientStatus status = byAddress.get(address);
      // Held by the operator: its release schedules it again.
      if (status == null || status.state().isFinal() || status.state() == RecipientState.HELD) {
        continue;
      }
      if (status.state() == RecipientState.FAILED) {
        bounceOwed.add(status);
      } else if (hooks.held().test(address)) {
        held.add(new RecipientOutcome.Held(status, LocalReplies.held()));
      } else {
        byDomain.computeIfAbsent(status.recipient().domain(), d -> new ArrayList<>()).add(status);
      }
    }
    if (!bounceOwed.isEmpty()) {
      outcomes.bounceOwed(message.envelope(), bounceOwed);
    }
    if (!held.isEmpty()) {
      outcomes.record(
          message.envelope(), held, ContentSource.fromSpool(spool, message.id()));
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
          int size = tuning.maxRecipientsPerTransaction();
          for (int from = 0; from < recipients.size(); from += size) {
            List<RecipientStatus> chunk =
                recipients.subList(from, Math.min(recipients.size(), from + size));
            offer(deliver, new DeliveryJob(envelope, chunk, deliver.transport()));
          }
        });
  }

  private void offer(Routing.Deliver deliver, DeliveryJob job) {
    if (closed.get()) {
      return;
    }
    boolean[] startWorker = new boolean[1];
    Destination destination =
        destinations.compute(
            deliver.destination(),
            (key, current) -> {
              // An idle destination whose limits a reload changed starts afresh with the new ones.
              Destination d =
                  current != null
                          && (current.limits().equals(deliver.limits()) || !current.isIdle())
                      ? current
                      : new Destination(
                          key,
                          deliver.limits(),
                          config.backoff(),
                          limits.limiter(key, deliver.limits()));
              if (suspendedByOperator.contains(key)) {
                d.pause();
              }
              startWorker[0] = d.offer(job);
              return d;
            });
    if (startWorker[0]) {
      Runnable worker =
          switch (deliver.transport()) {
            case Transport.Smtp smtp -> new DestinationWorker(destination, workerContext);
            case Transport.LocalMailbox local -> new MailboxWorker(destination, mailboxContext);
            case Transport.Capture capture -> new MailboxWorker(destination, mailboxContext);
          };
      tasks.start("delivery-" + destination.key(), worker);
    }
  }

  /** A worker left: forget the destination if nothing is queued, running or backing off. */
  private void forgetIfIdle(Destination destination) {
    destinations.computeIfPresent(
        destination.key(),
        (key, current) -> current == destination && current.isIdle() ? null : current);
  }

  /**
   * Idle connections kept per server address: as many as the largest destination may have open, so
   * the workers of a busy destination that run dry between bursts find their connections again
   * instead of closing most of them and opening new ones (measured: one new connection per ten
   * messages with a keep of 4 at 50 client connections). The idle timeout still closes them.
   */
  private static int idleConnectionsPerServer(DeliveryConfig config) {
    int largest = config.defaults().connections();
    for (ShapingRule rule : config.shaping()) {
      largest = Math.max(largest, rule.limits().connections());
    }
    return Math.min(largest, config.maxConnections());
  }
}
