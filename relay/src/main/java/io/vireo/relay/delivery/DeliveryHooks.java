package io.vireo.relay.delivery;

import io.vireo.queue.Envelope;
import io.vireo.relay.delivery.outcome.ReportIntake;
import io.vireo.relay.events.EventSink;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * What delivery tells and asks the rest of the relay.
 *
 * @param events every recipient outcome as an event (delivered, deferred, bounced, expired,
 *     suppressed)
 * @param held recipients not to attempt now ({@code suppression.action: hold}); they are deferred
 *     by the retry schedule and reported as suppressed
 * @param reportQueued each report the relay composed and spooled itself (a bounce, a delay or
 *     success notice), before delivery is handed it: its {@code received} events
 * @param reports where those reports are stored: the relay's intake; empty, straight into the
 *     spool (an engine without a relay around it)
 */
public record DeliveryHooks(
    EventSink events,
    Predicate<String> held,
    Consumer<Envelope> reportQueued,
    Optional<ReportIntake> reports) {
  public static final DeliveryHooks NONE = new DeliveryHooks(EventSink.NONE, address -> false);

  public DeliveryHooks {
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(held, "held");
    Objects.requireNonNull(reportQueued, "reportQueued");
    Objects.requireNonNull(reports, "reports");
  }

  public DeliveryHooks(EventSink events, Predicate<String> held) {
    this(events, held, report -> {}, Optional.empty());
  }

  /** These hooks, with reports stored through {@code intake}. */
  public DeliveryHooks withReports(ReportIntake intake) {
    return new DeliveryHooks(events, held, reportQueued, Optional.of(intake));
  }
}
