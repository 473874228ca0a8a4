package io.vireo.relay.delivery.schedule.limits;

/**
 * One worker's claim on a connection to a destination, under the destination's {@code connections}
 * cap. A worker acquires it before holding a connection and releases it when it no longer holds
 * one; the same slot may be acquired again. Not shared between threads.
 */
public interface ConnectionSlot {
  /**
   * Takes one of the destination's connections; true when held (also when already held), false
   * when the cap is reached (try again later).
   */
  boolean tryAcquire();

  /** Gives the connection back; nothing when not held. */
  void release();
}
