package io.vireo.relay.admin;

import io.vireo.queue.SpoolStats;
import io.vireo.relay.delivery.DeliveryStats;
import io.vireo.relay.dns.ResolverStats;
import io.vireo.relay.server.ListenerStats;
import java.util.Objects;
import java.util.function.Supplier;

/** Where the admin server reads the relay: one snapshot supplier per part. */
public record StatsSources(
    Supplier<ListenerStats> listener,
    Supplier<SpoolStats> spool,
    Supplier<DeliveryStats> delivery,
    Supplier<ResolverStats> dns) {
  public StatsSources {
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(spool, "spool");
    Objects.requireNonNull(delivery, "delivery");
    Objects.requireNonNull(dns, "dns");
  }

  /** Every part's snapshot, taken one after the other. */
  RelaySnapshot take() {
    return new RelaySnapshot(listener.get(), spool.get(), delivery.get(), dns.get());
  }

  /** The relay's parts at (nearly) one moment. */
  record RelaySnapshot(
      ListenerStats listener, SpoolStats spool, DeliveryStats delivery, ResolverStats dns) {}
}
