package io.vireo.relay.delivery.schedule;

import io.vireo.queue.RecipientStatus;
import io.vireo.queue.Spool;
import io.vireo.queue.StoredMessage;
import io.vireo.relay.delivery.outcome.ContentSource;
import io.vireo.relay.delivery.outcome.DeliveryLog;
import io.vireo.relay.delivery.outcome.LocalReplies;
import io.vireo.relay.delivery.outcome.Outcomes;
import io.vireo.relay.delivery.outcome.RecipientOutcome;
import io.vireo.relay.delivery.schedule.limits.ConnectionSlot;
import io.vireo.relay.delivery.smtp.ConnectionOpener;
import io.vireo.relay.delivery.smtp.ConnectionPool;
import io.vireo.relay.delivery.smtp.OutboundMessage;
import io.vireo.relay.delivery.smtp.PoolKey;
import io.vireo.relay.delivery.smtp.RecipientResult;
import io.vireo.relay.delivery.smtp.SmtpClientConnection;
import io.vireo.relay.delivery.smtp.SmtpClientException;
import io.vireo.relay.protocol.SmtpReply;
import io.vireo.relay.delivery.smtp.TransactionResult;
import io.vireo.relay.delivery.transport.NextHops;
import io.vireo.relay.delivery.transport.OutboundMessages;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the jobs of one {@link Destination}, one transaction at a time, on its own virtual
 * thread. It keeps its connection for the destination's next job (that is the reuse: a burst to one
 * destination costs a few connections, not one per message), puts it back into the pool when the
 * queue runs dry, and exits when there is nothing left.
 *
 * <p>Per job: read the message, get a connection (the one held, an idle pooled one to any of the
 * job's hosts, or a new one, trying hosts and their addresses in order and moving on after a
 * connect failure or a refusing greeting), prepare the content for that server, send, and hand the
 * per-recipient results to {@link Outcomes}. When no host can be reached the job is deferred and
 * the destination suspended; throttling replies suspend it too.
 *
 * <p>A failure before any content was sent on a connection that had already carried mail is retried
 * at once on a new connection: servers silently drop idle connections, and such a failure cannot
 * have delivered anything.
 *
 * <p>{@code delivery.max-connections} is a semaphore: a worker holds one permit exactly while it
 * holds a connection, and waits for one only when it needs a new connection, so a destination
 * waiting for permits never stops another from working. Idle connections in the pool hold no
 * permit. Alongside the permit the worker holds its destination's connection slot: always granted
 * with local limits (the destination's worker count is the cap), a lease on Redis when the cap is
 * shared by a fleet, waited for like the permit.
 *
 * <p>While a message goes out over a server that offers PIPELINING, the worker takes the
 * destination's next job if it may go now (see {@link Destination#pollReadyNow}) and has the
 * connection start it behind the message's content (RFC 2920 section 3.1): on a busy connection
 * each message then costs one round trip instead of two. The job taken ahead is delivered next,
 * before the worker asks the destination again; once its commands are on the wire the connection is
 * committed to it and is never pooled until it has been sent.
 *
 * <p>Messages per connection ({@code messages-per-connection}) are counted per destination here
 * rather than by the pool, which has one limit for all: a connection that reached its destination's
 * limit is closed instead of being reused or pooled.
 */
final class DestinationWorker implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(DestinationWorker.class);
  private static final Duration PERMIT_WAIT = Duration.ofMillis(200);
  private static final Duration SLOT_RETRY = Duration.ofMillis(100);

  /** The engine parts a worker uses. */
  record Context(
      Spool spool,
      Ticker ticker,
      ConnectionOpener opener,
      ConnectionPool pool,
      Semaphore connectionPermits,
      OutboundMessages outbound,
      Outcomes outcomes,
      WorkerCounters counters,
      BooleanSupplier closing,
      Consumer<Destination> onExit) {}

  /** The engine is shutting down: stop without touching the job at hand. */
  private static final class Stopping extends Exception {
    private static final long serialVersionUID = 1L;

    Stopping() {
      super(null, null, false, false);
    }
  }

  private sealed interface Connected {
    record Ready(boolean reused) implements Connected {}

    record Unreachable(SmtpReply reply) implements Connected {}
  }

  /**
   * A job taken ahead of its turn, with its stored message and the message prepared for the held
   * connection, which that connection may have started.
   */
  private record Ahead(DeliveryJob job, StoredMessage stored, OutboundMessage message) {}

  private final Destination destination;
  private final Context context;
  private final ConnectionSlot slot;
  private Ahead ahead;
  private SmtpClientConnection connection;
  private PoolKey connectionKey;
  private boolean holdsPermit;

  DestinationWorker(Destination destination, Context context) {
    this.destination = destination;
    this.context = context;
    this.slot = destination.limiter().connectionSlot();
  }

  @Override
  public void run() {
    boolean retired = false;
    try {
      retired = work();
    } catch (Stopping e) {
      log.debug("worker for {} stopping", destination);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      if (ahead != null) {
        destination.putBack(ahead.job()); // taken but never attempted
        ahead = null;
      }
      putConnectionBack();
      releasePermit();
      if (!retired) {
        destination.retire();
      }
      context.onExit().accept(destination);
    }
  }

  /** Returns true when the destination counted this worker out, false when it stopped early. */
  private boolean work() throws InterruptedException, Stopping {
    while (true) {
      if (ahead != null) {
        Ahead taken = ahead;
        ahead = null;
        if (isStarted(taken) && previousOutcomeWritten()) {
          // Committed: its commands are on the wire, so it goes next, even when closing, like any
          // transaction under way.
          deliver(taken.job(), taken.stored(), taken.message());
        } else {
          // Not started (the connection failed or would not start it): back to the head of the
          // queue, where suspension, rate and shutdown apply to it as to any queued job.
          destination.putBack(taken.job());
        }
        continue;
      }
      if (context.closing().getAsBoolean()) {
        return false;
      }
      Instant now = context.ticker().now();
      switch (destination.next(now, connection != null)) {
        case Destination.Next.Retired retired -> {
          return true;
        }
        case Destination.Next.Empty empty -> putConnectionBack();
        case Destination.Next.Suspended suspended -> deferSuspended(suspended);
        case Destination.Next.Work work -> {
          if (work.resumed()) {
            DeliveryLog.resumedAfterSuspension(destination.key());
          }
          if (work.rateDelay().isPositive()) {
            context.ticker().sleep(work.rateDelay()); // the destination's rate limit
          }
          deliver(work.job());
        }
      }
    }
  }

  /**
   * Waits until the outcome just recorded for the previous message is in the journal, so that the
   * started message's content reaches the server only once that outcome would survive this process
   * crashing: as without pipelining, a crash then sends at most a connection's last message again.
   * Costs a hand-over to the spool writer, not a sync. If the spool cannot confirm, the started
   * transaction is abandoned (false): the connection is closed without the content.
   */
  private boolean previousOutcomeWritten() {
    try {
      context.spool().awaitRecordedEventually();
      return true;
    } catch (RuntimeException e) {
      log.warn(
          "spool did not confirm the last outcome ({}); not sending the next message",
          e.toString());
      closeConnection();
      return false;
    }
  }

  private boolean isStarted(Ahead taken) {
    return connection != null && connection.hasStarted(taken.message());
  }

  private void deliver(DeliveryJob queued) throws InterruptedException, Stopping {
    Optional<DeliveryJob> job = queued.stillDue(context.spool());
    if (job.isEmpty()) {
      return;
    }
    Optional<StoredMessage> stored = read(job.get());
    if (stored.isPresent()) {
      deliver(job.get(), stored.get(), null);
    }
  }

  private Optional<StoredMessage> read(DeliveryJob job) {
    return Jobs.read(context.spool(), context.outcomes(), job);
  }

  private void deliver(DeliveryJob job, StoredMessage stored, OutboundMessage startedOrNull)
      throws InterruptedException, Stopping {
    List<RecipientOutcome> outcomes = attempt(job, stored, startedOrNull);
    context.outcomes().record(job.envelope(), outcomes, ContentSource.of(stored.content()));
  }

  /**
   * Delivers one job. {@code startedOrNull} is the message prepared when the job was taken ahead:
   * if the held connection started it, it is sent there with no further connect or prepare.
   */
  private List<RecipientOutcome> attempt(
      DeliveryJob job, StoredMessage stored, OutboundMessage startedOrNull)
      throws InterruptedException, Stopping {
    boolean freshConnection = false;
    OutboundMessage started = startedOrNull;
    while (true) {
      boolean reused;
      OutboundMessage message;
      if (started != null && connection != null && connection.hasStarted(started)) {
        context.counters().connectionsReused.increment();
        reused = true;
        message = started;
      } else {
        Connected connected = connect(job.hops(), freshConnection);
        if (connected instanceof Connected.Unreachable unreachable) {
          suspend(unreachable.reply());
          return tryAgain(job, null, unreachable.reply(), null);
        }
        reused = ((Connected.Ready) connected).reused();
        OutboundMessages.Prepared prepared = prepare(job, stored);
        if (prepared instanceof OutboundMessages.Prepared.Refused refused) {
          return undeliverable(job, connection.remoteDescription(), refused.reply());
        }
        message = ((OutboundMessages.Prepared.Ready) prepared).message();
      }
      started = null; // only the first try may find its transaction started
      String remote = connection.remoteDescription();
      OutboundMessage next = takeAhead();
      TransactionResult result;
      try {
        result = connection.send(message, next);
      } catch (SmtpClientException e) {
        closeConnection();
        if (reused && !freshConnection && e.beforeDataSent()) {
          log.debug(
              "{}: reused connection to {} failed ({}); retrying on a new one",
              job.id(),
              remote,
              e.getMessage());
          freshConnection = true;
          continue;
        }
        SmtpReply reply =
            e.response() != null && e.response().isTransient()
                ? e.response()
                : LocalReplies.connectionLost(e.getMessage());
        if (Throttling.signals(reply)) {
          suspend(reply);
        }
        return tryAgain(job, remote, reply, null);
      }
      if (reused && !freshConnection && everyReplyIs421(result)) {
        // The server had given up on the idle connection; nothing was accepted.
        closeConnection();
        freshConnection = true;
        continue;
      }
      return afterTransaction(job, result, connection.capabilities().dsn());
    }
  }

  private List<RecipientOutcome> afterTransaction(
      DeliveryJob job, TransactionResult result, boolean nextHopReports) {
    List<RecipientOutcome> outcomes = new ArrayList<>(result.recipients().size());
    boolean delivered = false;
    SmtpReply throttling = null;
    List<RecipientResult> results = result.recipients();
    for (int i = 0; i < results.size(); i++) {
      RecipientStatus status = job.recipients().get(i);
      SmtpReply reply = results.get(i).response();
      switch (results.get(i).outcome()) {
        case DELIVERED -> {
          delivered = true;
          outcomes.add(
              new RecipientOutcome.Sent(status, result.remote(), reply, nextHopReports));
        }
        case TRANSIENT -> {
          if (throttling == null && Throttling.signals(reply)) {
            throttling = reply;
          }
          outcomes.add(new RecipientOutcome.TryAgain(status, result.remote(), reply, null));
        }
        case PERMANENT ->
            outcomes.add(new RecipientOutcome.Undeliverable(status, result.remote(), reply));
      }
    }
    if (delivered && destination.recovered()) {
      DeliveryLog.acceptingAgain(destination.key());
    }
    if (throttling != null) {
      suspend(throttling);
    }
    if (connection != null
        && !(ahead != null && isStarted(ahead))
        && (!connection.usable()
            || connection.transactions() >= destination.limits().messagesPerConnection())) {
      closeConnection();
    }
    return outcomes;
  }

  private OutboundMessages.Prepared prepare(DeliveryJob job, StoredMessage stored) {
    return context
        .outbound()
        .prepare(
            stored.envelope(),
            stored.content(),
            job.recipients(),
            connection.capabilities(),
            connection.remoteDescription());
  }

  /**
   * Takes the destination's next job, if it may go now, to start behind the message about to be
   * sent on the held connection; returns the message to start, or null. Only when the server offers
   * PIPELINING, nothing was taken ahead yet, and the connection may carry both messages. A job that
   * cannot be read is dealt with at once as {@link #deliver(DeliveryJob)} would; one refused for
   * this server goes back to the queue.
   */
  private OutboundMessage takeAhead() {
    if (ahead != null
        || !connection.capabilities().pipelining()
        || connection.transactions() + 2 > destination.limits().messagesPerConnection()
        || context.closing().getAsBoolean()) {
      return null;
    }
    Optional<DeliveryJob> taken = destination.pollReadyNow(context.ticker().now());
    if (taken.isEmpty()) {
      return null;
    }
    Optional<DeliveryJob> due = taken.get().stillDue(context.spool());
    if (due.isEmpty()) {
      return null;
    }
    DeliveryJob job = due.get();
    Optional<StoredMessage> stored = read(job);
    if (stored.isEmpty()) {
      return null;
    }
    if (!(prepare(job, stored.get()) instanceof OutboundMessages.Prepared.Ready ready)) {
      destination.putBack(job); // refused for this server: dealt with in its turn
      return null;
    }
    ahead = new Ahead(job, stored.get(), ready.message());
    return ready.message();
  }

  /**
   * Makes {@link #connection} ready: the one held (unless a fresh one is wanted), an idle one from
   * the pool for any of the job's hosts, or a new one to the first host that answers.
   */
  private Connected connect(NextHops hops, boolean fresh) throws InterruptedException, Stopping {
    if (connection != null) {
      if (!fresh && hops.admits(connectionKey) && connection.usable()) {
        context.counters().connectionsReused.increment();
        return new Connected.Ready(true);
      }
      closeConnection();
    }
    List<PoolKey> candidates;
    try {
      candidates = hops.candidates();
    } catch (UnknownHostException e) {
      return new Connected.Unreachable(
          LocalReplies.noHostReachable("cannot resolve " + e.getMessage()));
    }
    if (candidates.isEmpty()) {
      return new Connected.Unreachable(LocalReplies.noHostReachable("no address to connect to"));
    }
    acquirePermit();
    if (!fresh) {
      for (PoolKey key : candidates) {
        Optional<SmtpClientConnection> idle = context.pool().borrow(key);
        if (idle.isPresent()) {
          adopt(idle.get(), key);
          context.counters().connectionsReused.increment();
          return new Connected.Ready(true);
        }
      }
    }
    List<String> problems = new ArrayList<>(candidates.size());
    for (PoolKey key : candidates) {
      if (context.closing().getAsBoolean()) {
        break;
      }
      try {
        SmtpClientConnection opened = context.opener().open(key);
        context.counters().connectionsOpened.increment();
        adopt(opened, key);
        log.debug("opened {} for {}", opened.remoteDescription(), destination);
        return new Connected.Ready(false);
      } catch (SmtpClientException e) {
        log.debug("{}: {}", destination, e.getMessage());
        problems.add(e.getMessage());
      }
    }
    releasePermit();
    if (problems.isEmpty()) {
      throw new Stopping();
    }
    return new Connected.Unreachable(LocalReplies.noHostReachable(String.join("; ", problems)));
  }

  private void deferSuspended(Destination.Next.Suspended suspended) {
    Jobs.deferSuspended(context.spool(), context.outcomes(), destination, suspended);
  }

  private void suspend(SmtpReply reason) {
    destination
        .suspend(context.ticker().now(), reason.text())
        .ifPresent(
            pause -> {
              context.counters().suspensions.increment();
              DeliveryLog.suspended(destination.key(), LocalReplies.human(pause), reason.text());
            });
  }

  private static List<RecipientOutcome> tryAgain(
      DeliveryJob job, String relay, SmtpReply reply, Instant notBefore) {
    return Jobs.tryAgain(job, relay, reply, notBefore);
  }

  private static List<RecipientOutcome> undeliverable(
      DeliveryJob job, String relay, SmtpReply reply) {
    return Jobs.undeliverable(job, relay, reply);
  }

  private static boolean everyReplyIs421(TransactionResult result) {
    return result.recipients().stream().allMatch(r -> r.response().code() == 421);
  }

  private void adopt(SmtpClientConnection opened, PoolKey key) {
    connection = opened;
    connectionKey = key;
  }

  /** Keeps the connection for later (pooled) if it may carry more mail, else closes it. */
  private void putConnectionBack() {
    if (connection == null) {
      return;
    }
    if (connection.usable()
        && connection.transactions() < destination.limits().messagesPerConnection()) {
      log.debug(
          "{} back to the pool after {} messages",
          connection.remoteDescription(),
          connection.transactions());
      context.pool().release(connectionKey, connection);
      connection = null;
      connectionKey = null;
      releasePermit();
    } else {
      closeConnection();
    }
  }

  private void closeConnection() {
    if (connection == null) {
      return;
    }
    log.debug(
        "closing {} after {} messages", connection.remoteDescription(), connection.transactions());
    connection.close();
    connection = null;
    connectionKey = null;
    releasePermit();
  }

  private void acquirePermit() throws InterruptedException, Stopping {
    if (holdsPermit) {
      return;
    }
    // The destination's cap first: with a fleet on Redis another node may hold its connections.
    // These waits are real time, not the ticker's: they wait for other threads and nodes (whose
    // leases expire on Redis's clock), and look at the closing flag between tries.
    while (!slot.tryAcquire()) {
      if (context.closing().getAsBoolean()) {
        throw new Stopping();
      }
      Thread.sleep(SLOT_RETRY);
    }
    boolean permitted = false;
    try {
      while (!context
          .connectionPermits()
          .tryAcquire(PERMIT_WAIT.toNanos(), TimeUnit.NANOSECONDS)) {
        if (context.closing().getAsBoolean()) {
          throw new Stopping();
        }
      }
      permitted = true;
    } finally {
      if (!permitted) {
        slot.release();
      }
    }
    holdsPermit = true;
  }

  private void releasePermit() {
    if (holdsPermit) {
      holdsPermit = false;
      context.connectionPermits().release();
      slot.release();
    }
  }
}
