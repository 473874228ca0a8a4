package io.vireo.relay.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.queue.Histogram;
import io.vireo.queue.SpoolStats;
import io.vireo.relay.server.ListenerStats;
import org.junit.jupiter.api.Test;

class ReadinessTest {
  private static final Histogram.Snapshot NONE = new Histogram(1).snapshot();
  private static final ListenerStats ACCEPTING = new ListenerStats(true, 3, 10, 0, 0, 5, 5);
  private static final SpoolStats WRITABLE =
      new SpoolStats(2, 10L << 30, 64L << 20, true, NONE, NONE);

  @Test
  void readyWhenTheListenerAcceptsAndTheSpoolWouldStore() {
    assertThat(Readiness.of(ACCEPTING, WRITABLE).ready()).isTrue();
  }

  @Test
  void eachFailingPartGivesItsReason() {
    ListenerStats stopped = new ListenerStats(false, 0, 10, 0, 0, 5, 5);
    SpoolStats full = new SpoolStats(2, 10L << 20, 64L << 20, false, NONE, NONE);
    SpoolStats closed = new SpoolStats(2, 10L << 30, 64L << 20, false, NONE, NONE);

    assertThat(Readiness.of(stopped, full).reasons())
        .containsExactly(
            "the SMTP listener is not accepting connections",
            "the spool's file system has 10 MiB usable, below spool.min-free-space (64 MiB)");
    assertThat(Readiness.of(ACCEPTING, closed).reasons())
        .containsExactly("the spool is not open for writing");
  }
}
