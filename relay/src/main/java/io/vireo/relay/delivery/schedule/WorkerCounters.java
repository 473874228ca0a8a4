package io.vireo.relay.delivery.schedule;

import java.util.concurrent.atomic.LongAdder;

/** What the workers count; the engine's {@code stats()} snapshots it. */
public final class WorkerCounters {
  final LongAdder suspensions = new LongAdder();
  final LongAdder connectionsOpened = new LongAdder();
  final LongAdder connectionsReused = new LongAdder();

  public long suspensions() {
    return suspensions.sum();
  }

  public long connectionsOpened() {
    return connectionsOpened.sum();
  }

  public long connectionsReused() {
    return connectionsReused.sum();
  }
}
