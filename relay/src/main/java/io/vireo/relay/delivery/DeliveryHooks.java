package io.vireo.relay.delivery;

import io.vireo.relay.events.EventSink;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * What delivery tells and asks the rest of the relay.
 *
 * @param events every recipient outcome as an event (delivered, deferred, bounced, expired,
 *     suppressed)
 * @param held recipients not to attempt now ({@code suppression.action: hold}); they are deferred
 *     by the retry schedule and reported as suppressed
 */
public record DeliveryHooks(EventSink events, Predicate<String> held) {
  public static final DeliveryHooks NONE = new DeliveryHooks(EventSink.NONE, address -> false);

  public DeliveryHooks {
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(held, "held");
  }
}
