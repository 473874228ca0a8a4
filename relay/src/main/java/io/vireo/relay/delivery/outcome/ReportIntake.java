package io.vireo.relay.delivery.outcome;

import io.vireo.queue.Envelope;
import io.vireo.queue.MessageContent;
import io.vireo.queue.Spool;

/**
 * Where the reports the relay composes itself (bounces, delay and success notices) enter the spool:
 * the relay's intake, the same step every submitted message goes through. Delivery hands the
 * stored report to scheduling itself.
 */
@FunctionalInterface
public interface ReportIntake {
  /**
   * Stores the report durably.
   *
   * @throws RuntimeException if it could not be stored; the caller tries again later
   */
  void store(Envelope envelope, MessageContent content);

  /** Straight into the spool: for an engine run without a relay around it (tests, tools). */
  static ReportIntake direct(Spool spool) {
    return spool::store;
  }
}
