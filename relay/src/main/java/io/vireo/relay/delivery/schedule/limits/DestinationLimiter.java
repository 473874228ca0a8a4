package io.vireo.relay.delivery.schedule.limits;

import java.time.Duration;
import java.time.Instant;

/**
 * The rate and connection limits of one destination as this node applies them. Thread-safe; calls
 * may block briefly on the shared store (bounded by its timeouts), so callers hold no lock.
 */
public interface DestinationLimiter {
  /** Reserves the next slot to send one message and returns how long to wait for it. */
  Duration reserve(Instant now);

  /** Reserves a slot only if one is free right now; false reserves nothing. */
  boolean tryReserve(Instant now);

  /** A new claim on one of the destination's connections, for one worker to hold and reuse. */
  ConnectionSlot connectionSlot();
}
