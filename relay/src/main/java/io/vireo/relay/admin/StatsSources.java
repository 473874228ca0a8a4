package io.vireo.relay.admin;

import io.vireo.queue.SpoolStats;
import io.vireo.relay.delivery.DeliveryStats;
import io.vireo.relay.dns.ResolverStats;
import io.vireo.relay.listen.ConnectionStats;
import io.vireo.relay.server.ListenerStats;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Where the admin server reads the relay: one snapshot supplier per part.
 *
 * @param access the mail access listeners by protocol ({@code pop3}, {@code imap}); only those
 *     configured, so the set is fixed for the relay's life
 */
public record StatsSources(
    Supplier<ListenerStats> listener,
    Supplier<SpoolStats> spool,
    Supplier<DeliveryStats> delivery,
    Supplier<ResolverStats> dns,
    Supplier<Map<String, ConnectionStats>> access) {
  public StatsSources {
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(spool, "spool");
    Objects.requireNonNull(delivery, "delivery");
    Objects.requireNonNull(dns, "dns");
    Objects.requireNonNull(access, "access");
  }

  /** No POP3 or IMAP listeners. */
  public StatsSources(
      Supplier<ListenerStats> listener,
      Supplier<SpoolStats> spool,
      Supplier<DeliveryStats> delivery,
      Supplier<ResolverStats> dns) {
    this(listener, spool, delivery, dns, Map::of);
  }

  /** Every part's snapshot, taken one after the other. */
  RelaySnapshot take() {
    return new RelaySnapshot(listener.get(), spool.get(), delivery.get(), dns.get(), access.get());
  }

  /** The relay's parts at (nearly) one moment. */
  record RelaySnapshot(
      ListenerStats listener,
      SpoolStats spool,
      DeliveryStats delivery,
      ResolverStats dns,
      Map<String, ConnectionStats> access) {
    RelaySnapshot {
      access = Map.copyOf(access);
    }

    RelaySnapshot(
        ListenerStats listener, SpoolStats spool, DeliveryStats delivery, ResolverStats dns) {
      this(listener, spool, delivery, dns, Map.of());
    }
  }
}
