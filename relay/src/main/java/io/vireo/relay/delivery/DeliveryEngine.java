package io.vireo.relay.delivery;

import io.vireo.config.DeliveryConfig;
import io.vireo.config.EngineTuning;
import io.vireo.config.RouteConfig;
import io.vireo.config.ShapingRule;
import io.vireo.config.TlsMode;
import io.vireo.queue.Envelope;
import io.vireo.queue.MessageId;
import io.vireo.queue.MessageIdGenerator;
import io.vireo.queue.Spool;
import io.vireo.relay.delivery.outcome.DeliveryLog;
import io.vireo.relay.delivery.outcome.OutcomeCounters;
import io.vireo.relay.delivery.outcome.Outcomes;
import io.vireo.relay.delivery.outcome.ReportIntake;
import io.vireo.relay.delivery.outcome.RetryPolicy;
import io.vireo.relay.delivery.outcome.dsn.DsnComposer;
import io.vireo.relay.delivery.schedule.Scheduler;
import io.vireo.relay.delivery.schedule.Ticker;
import io.vireo.relay.delivery.schedule.WorkerCounters;
import io.vireo.relay.delivery.schedule.limits.LocalLimits;
import io.vireo.relay.delivery.schedule.limits.SharedLimits;
import io.vireo.relay.delivery.smtp.ClientTimeouts;
import io.vireo.relay.delivery.smtp.ConnectionOpener;
import io.vireo.relay.delivery.smtp.ConnectionPool;
import io.vireo.relay.delivery.smtp.PoolLimits;
import io.vireo.relay.delivery.smtp.SmtpClientConnection;
import io.vireo.relay.delivery.transport.Router;
import io.vireo.relay.dns.MxResolver;
import io.vireo.relay.local.LocalDelivery;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery engine: takes spooled messages to their destinations, retries what failed
 * temporarily, and bounces what failed for good. This class wires the parts and is their one
 * entry point; the flow itself reads in three packages:
 *
 * <ol>
 *   <li>{@code schedule}: {@link #start()} (everything the spool still holds) and {@link #submit}
 *       (each newly accepted message) hand recipients to the {@link Scheduler}, which keeps them on
 *       a timer until their next attempt, routes them when due and queues them per destination,
 *       where workers take them.
 *   <li>{@code transport}: how they leave, as routing chose it ({@link Router}): SMTP to a
 *       smarthost or the MX hosts, or into local mailboxes.
 *   <li>{@code outcome}: {@link Outcomes} writes every recipient's outcome to the spool's events
 *       journal before acting on it: rescheduling it, bouncing it, logging it.
 * </ol>
 *
 * <p>Thread-safe. {@link #submit} never blocks, so it can be the SMTP server's accept hook.
 */
public final class DeliveryEngine implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DeliveryEngine.class);
  private static final Duration MAX_SWEEP_INTERVAL = Duration.ofSeconds(5);

  private final MxResolver resolver;
  private final RandomGenerator random;
  private final Spool spool;
  private final Ticker ticker;
  private final EngineTuning tuning;
  private final SharedLimits limits;
  private final ConnectionPool pool;
  private final Outcomes outcomes;
  private final OutcomeCounters counters = new OutcomeCounters();
  private final Scheduler scheduler;
  private final LocalDelivery local;
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  /** An engine with every part given and this node's own limits ({@link LocalLimits}). */
  public DeliveryEngine(
      DeliveryConfig config,
      Spool spool,
      MxResolver resolver,
      ConnectionOpener opener,
      DsnComposer composer,
      Ticker ticker,
      RandomGenerator random,
      EngineTuning tuning) {
    this(config, spool, resolver, opener, composer, ticker, random, tuning, new LocalLimits());
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
   * @param ticker the time of every event and schedule, and what the timer and workers wait on
   * @param random jitter for retry delays
   * @param tuning the engine's pacing ({@code delivery.tuning}; tests shorten it)
   * @param limits where per-destination rates and connection caps are held (this node's own, or
   *     shared through {@code cluster.redis}); the engine closes it
   */
  public DeliveryEngine(
      DeliveryConfig config,
      Spool spool,
      MxResolver resolver,
      ConnectionOpener opener,
      DsnComposer composer,
      Ticker ticker,
      RandomGenerator random,
      EngineTuning tuning,
      SharedLimits limits) {
    this(
        config,
        spool,
        resolver,
        opener,
        composer,
        ticker,
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
      Ticker ticker,
      RandomGenerator random,
      EngineTuning tuning,
      SharedLimits limits,
      DeliveryHooks hooks,
      LocalDelivery local) {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(hooks, "hooks");
    this.local = Objects.requireNonNull(local, "local");
    this.spool = Objects.requireNonNull(spool, "spool");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.tuning = Objects.requireNonNull(tuning, "tuning");
    this.limits = Objects.requireNonNull(limits, "limits");
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    this.random = Objects.requireNonNull(random, "random");
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
            ticker.clock());
    this.outcomes =
        new Outcomes(
            spool,
            hooks.reports().orElseGet(() -> ReportIntake.direct(spool)),
            ticker.clock(),
            new RetryPolicy(config.retry(), random),
            Objects.requireNonNull(composer, "composer"),
            config.delayWarning(),
            counters,
            this::retryAt,
            report -> {
              hooks.reportQueued().accept(report);
              submit(report);
            },
            hooks.events());
    spool.onFinished(DeliveryLog::removed);
    this.scheduler =
        new Scheduler(
            config,
            new Router(config, resolver, local),
            spool,
            ticker,
            limits,
            hooks.held(),
            outcomes,
            opener,
            pool,
            local,
            tuning.maxConcurrentLookups(),
            tuning.maxRecipientsPerTransaction());
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
    scheduler.reconfigure(next, nextRouter);
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
        Ticker.system(clock),
        new Random(),
        config.tuning(),
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
    scheduler.start(spool.pending());
  }

  /**
   * Schedules a newly spooled message for delivery now; the SMTP server's accept hook. Never
   * blocks. Call once per message: each call is a delivery attempt of all its recipients.
   */
  public void submit(Envelope envelope) {
    scheduler.submit(envelope);
  }

  /**
   * Attempts {@code addresses} of message {@code id} now ({@code queue flush}, {@code queue
   * bounce}): the lookup reads their state from the spool, so a recipient already final is
   * skipped and a failed one is bounced. An attempt they already had scheduled stays on the timer
   * and finds them final, or tries them once more then.
   */
  public void attemptNow(MessageId id, List<String> addresses) {
    scheduler.schedule(ticker.now(), id, addresses);
  }

  /** Outcomes: a deferred recipient back on the timer. */
  private void retryAt(Instant at, MessageId id, List<String> addresses) {
    scheduler.schedule(at, id, addresses);
  }

  /**
   * Suspends delivery to {@code key} until {@link #resume} ({@code vireo destination suspend}):
   * its due recipients wait in its queue, its workers leave after their transaction. A key not
   * known yet is suspended when it appears. Lasts across reloads, not across a restart. False
   * when it was suspended already.
   */
  public boolean suspend(String key) {
    return scheduler.suspend(key);
  }

  /** Lets delivery to {@code key} go on; false when the operator had not suspended it. */
  public boolean resume(String key) {
    return scheduler.resume(key);
  }

  /** Jobs waiting in the destinations' ready queues, not yet taken by a worker. */
  int queuedJobs() {
    return scheduler.queuedJobs();
  }

  /** The counters so far, and every destination's queue now (a scan of their ready jobs). */
  public DeliveryStats stats() {
    List<DestinationStats> queues = scheduler.queues();
    WorkerCounters workers = scheduler.counters();
    return new DeliveryStats(
        counters.attempts(),
        counters.delivered(),
        counters.deferred(),
        counters.bounced(),
        counters.expired(),
        counters.bouncesQueued(),
        counters.delayNotices(),
        workers.suspensions(),
        workers.connectionsOpened(),
        workers.connectionsReused(),
        scheduler.destinations(),
        scheduler.scheduled(),
        counters.acceptToDeliveredMillis(),
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
    close(tuning.stopGrace());
  }

  /** As {@link #close()}, with {@code grace} as the time running transactions get to finish. */
  public void close(Duration grace) {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    scheduler.close(grace);
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
