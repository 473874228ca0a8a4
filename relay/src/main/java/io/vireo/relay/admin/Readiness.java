package io.vireo.relay.admin;

import io.vireo.queue.SpoolStats;
import io.vireo.relay.server.ListenerStats;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether the relay should be sent mail now: the SMTP listener accepts connections and the spool
 * would store a message (open, and above its free-space floor). A load balancer or orchestrator
 * takes a relay out of rotation while this says no, instead of its clients meeting 421s and 452s.
 *
 * @param reasons why it is not ready; empty when it is
 */
public record Readiness(List<String> reasons) {
  public Readiness {
    reasons = List.copyOf(reasons);
  }

  public boolean ready() {
    return reasons.isEmpty();
  }

  static Readiness of(ListenerStats listener, SpoolStats spool) {
    List<String> reasons = new ArrayList<>();
    if (!listener.accepting()) {
      reasons.add("the SMTP listener is not accepting connections");
    }
    if (!spool.writable()) {
      reasons.add(
          spool.usableBytes() < spool.minFreeBytes()
              ? "the spool's file system has "
                  + mib(spool.usableBytes())
                  + " MiB usable, below spool.min-free-space ("
                  + mib(spool.minFreeBytes())
                  + " MiB)"
              : "the spool is not open for writing");
    }
    return new Readiness(reasons);
  }

  private static long mib(long bytes) {
    return bytes >> 20;
  }
}
