package io.vireo.relay.delivery;

import io.vireo.queue.Envelope;
import io.vireo.relay.events.EventSink;
import java.util.Objects;
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
 */
public record DeliveryHooks(
    EventSink events, Predicate<String> held, Consumer<Envelope> reportQueued) {
  public static final DeliveryHooks NONE = new DeliveryHooks(EventSink.NONE, address -> false);

  public DeliveryHooks {
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(held, "held");
    Objects.requireNonNull(reportQueued, "reportQueued");
  }

  public DeliveryHooks(EventSink events, Predicate<String> held) {
    this(events, held, report -> {});
  }
}
