package io.vireo.relay.delivery;

import java.util.concurrent.atomic.LongAdder;

/** The engine's running totals; {@link DeliveryEngine#stats()} snapshots them. */
final class DeliveryCounters {
  final LongAdder attempts = new LongAdder();
  final LongAdder delivered = new LongAdder();
  final LongAdder deferred = new LongAdder();
  final LongAdder bounced = new LongAdder();
  final LongAdder bouncesQueued = new LongAdder();
  final LongAdder delayNotices = new LongAdder();
  final LongAdder suspensions = new LongAdder();
  final LongAdder connectionsOpened = new LongAdder();
  final LongAdder connectionsReused = new LongAdder();
}
