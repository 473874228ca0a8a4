package io.vireo.relay.delivery.schedule;

import io.vireo.config.BackoffConfig;
import io.vireo.relay.delivery.DestinationStats;
import io.vireo.relay.delivery.outcome.DeliveryLog;
import io.vireo.relay.delivery.schedule.limits.SharedLimits;
import io.vireo.relay.delivery.transport.Routing;
import io.vireo.relay.delivery.transport.Transport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The destinations that have work, and their workers: a job routed to a destination joins its ready
 * queue, and a worker for the destination's transport starts when the queue asks for one. A
 * destination with nothing queued, running or backing off is forgotten. Thread-safe.
 */
final class Destinations {
  private final Map<String, Destination> byKey = new ConcurrentHashMap<>();
  // Suspended by the operator: kept apart from the destinations, which come and go with their
  // queues, so a suspension holds until resumed (across reloads; not across a restart).
  private final Set<String> suspendedByOperator = ConcurrentHashMap.newKeySet();
  // Keys of local and capture destinations ("local", "capture:USER"): a handful, from the config.
  // A resumed destination restarts the workers of its own kind.
  private final Set<String> mailboxKeys = ConcurrentHashMap.newKeySet();
  private final SharedLimits limits;
  private final Supplier<BackoffConfig> backoff;
  private final Tasks tasks;
  private final BooleanSupplier closing;
  private final Function<Destination, Runnable> smtpWorker;
  private final Function<Destination, Runnable> mailboxWorker;

  /**
   * @param backoff {@code delivery.backoff} as it is now, for a destination created from now on
   * @param smtpWorker a new SMTP worker for a destination
   * @param mailboxWorker a new worker for a local or capture destination
   */
  Destinations(
      SharedLimits limits,
      Supplier<BackoffConfig> backoff,
      Tasks tasks,
      BooleanSupplier closing,
      Function<Destination, Runnable> smtpWorker,
      Function<Destination, Runnable> mailboxWorker) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    this.tasks = Objects.requireNonNull(tasks, "tasks");
    this.closing = Objects.requireNonNull(closing, "closing");
    this.smtpWorker = Objects.requireNonNull(smtpWorker, "smtpWorker");
    this.mailboxWorker = Objects.requireNonNull(mailboxWorker, "mailboxWorker");
  }

  /** Queues {@code job} at the destination {@code deliver} names, starting a worker if needed. */
  void offer(Routing.Deliver deliver, DeliveryJob job) {
    if (closing.getAsBoolean()) {
      return;
    }
    boolean[] startWorker = new boolean[1];
    Destination destination =
        byKey.compute(
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
                          backoff.get(),
                          limits.limiter(key, deliver.limits()));
              if (suspendedByOperator.contains(key)) {
                d.pause();
              }
              startWorker[0] = d.offer(job);
              return d;
            });
    boolean mailbox = !(deliver.transport() instanceof Transport.Smtp);
    if (mailbox) {
      mailboxKeys.add(destination.key());
    }
    if (startWorker[0]) {
      tasks.start("delivery-" + destination.key(), workerFor(destination));
    }
  }

  /** See {@code DeliveryEngine.suspend}. */
  boolean suspend(String key) {
    Objects.requireNonNull(key, "key");
    boolean added = suspendedByOperator.add(key);
    Destination destination = byKey.get(key);
    if (destination != null) {
      destination.pause();
    }
    if (added) {
      DeliveryLog.suspendedByOperator(key);
    }
    return added;
  }

  /** See {@code DeliveryEngine.resume}. */
  boolean resume(String key) {
    Objects.requireNonNull(key, "key");
    boolean removed = suspendedByOperator.remove(key);
    Destination destination = byKey.get(key);
    if (destination != null) {
      int workers = destination.resume();
      for (int i = 0; i < workers; i++) {
        tasks.start("delivery-" + key, workerFor(destination));
      }
      forgetIfIdle(destination);
    }
    if (removed) {
      DeliveryLog.resumedByOperator(key);
    }
    return removed;
  }

  /** A mailbox worker for a local or capture destination, else an SMTP worker. */
  private Runnable workerFor(Destination destination) {
    return mailboxKeys.contains(destination.key())
        ? mailboxWorker.apply(destination)
        : smtpWorker.apply(destination);
  }

  /** A worker left: forget the destination if nothing is queued, running or backing off. */
  void forgetIfIdle(Destination destination) {
    byKey.computeIfPresent(
        destination.key(),
        (key, current) -> current == destination && current.isIdle() ? null : current);
  }

  /** Jobs waiting in the ready queues, not yet taken by a worker. */
  int queuedJobs() {
    return byKey.values().stream().mapToInt(Destination::queued).sum();
  }

  /** Destinations known now (queued work, workers or backoff). */
  int size() {
    return byKey.size();
  }

  /** Every destination's queue now, and the operator's suspensions of keys not seen yet. */
  List<DestinationStats> stats(Instant now) {
    List<DestinationStats> queues = new ArrayList<>(byKey.size());
    for (Destination destination : byKey.values()) {
      queues.add(destination.stats(now));
    }
    for (String key : suspendedByOperator) {
      if (!byKey.containsKey(key)) {
        queues.add(new DestinationStats(key, 0, 0, null, true, true));
      }
    }
    return queues;
  }
}
