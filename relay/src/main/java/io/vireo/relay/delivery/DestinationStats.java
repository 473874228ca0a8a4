package io.vireo.relay.delivery;

import java.time.Instant;

/**
 * One destination's queue at one moment. A message is routed when it is due, so a destination
 * holds only jobs due now and not yet sent; deferred recipients wait on the delivery timer until
 * their next attempt (see {@link DeliveryStats#scheduled()}).
 *
 * @param destination the destination's key (a route's next hop, or the MX host set)
 * @param queued jobs waiting for a worker
 * @param workers workers (each with at most one connection) delivering now
 * @param oldestArrival arrival of the oldest message among the queued jobs, null when none is
 *     queued
 * @param suspended true while the destination backs off after failing on every host, or the
 *     operator suspended it
 * @param operatorSuspended true while the operator suspended it ({@code vireo destination
 *     suspend}), until resumed
 */
public record DestinationStats(
    String destination,
    int queued,
    int workers,
    Instant oldestArrival,
    boolean suspended,
    boolean operatorSuspended) {
  /** A destination the operator did not suspend. */
  public DestinationStats(
      String destination, int queued, int workers, Instant oldestArrival, boolean suspended) {
    this(destination, queued, workers, oldestArrival, suspended, false);
  }
}
