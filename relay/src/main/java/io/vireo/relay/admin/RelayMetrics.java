package io.vireo.relay.admin;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vireo.relay.admin.StatsSources.RelaySnapshot;
import io.vireo.relay.listen.ConnectionStats;
import java.time.Clock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.ToDoubleFunction;

/**
 * The relay's Prometheus metrics. Every relay metric is read from the parts' {@code stats()}
 * snapshots, taken once per scrape: the message path only bumps the counters it always kept, and
 * never calls Micrometer. Counters become Micrometer function counters and gauges; the histograms
 * and per-destination gauges come from a {@link SnapshotCollector}. Micrometer's JVM binders add
 * memory, GC pauses and threads.
 *
 * <p>Names follow Prometheus conventions: {@code vireo_} prefix, base units (seconds, bytes), a
 * {@code _total} suffix on counters, and no label that grows with traffic.
 */
public final class RelayMetrics implements AutoCloseable {
  private final StatsSources sources;
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final ReentrantLock scrapeLock = new ReentrantLock();
  private volatile RelaySnapshot current;

  /**
   * @param version this build's version, published as {@code vireo_build_info{version=...} 1}
   */
  public RelayMetrics(StatsSources sources, Clock clock, String version) {
    this.sources = sources;
    this.current = sources.take();
    Gauge.builder("vireo.build.info", () -> 1)
        .description("The running build: 1, with its version as a label")
        .tag("version", version)
        .register(registry);
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    registerListener();
    current.access().keySet().forEach(this::registerAccess);
    registerDelivery();
    registerSpoolAndDns();
    registry.getPrometheusRegistry().register(new SnapshotCollector(() -> current, clock));
  }

  /** Takes fresh snapshots and renders every metric in the Prometheus text format 0.0.4. */
  public String scrape() {
    scrapeLock.lock();
    try {
      current = sources.take();
      return registry.scrape();
    } finally {
      scrapeLock.unlock();
    }
  }

  private void registerListener() {
    counter(
        "vireo.connections.accepted",
        "SMTP connections admitted",
        s -> s.listener().acceptedConnections());
    String refused = "SMTP connections refused with 421, by the limit they hit";
    counter(
        "vireo.connections.refused",
        refused,
        "reason",
        "max_connections",
        s -> s.listener().refusedMaxConnections());
    counter(
        "vireo.connections.refused",
        refused,
        "reason",
        "max_connections_per_ip",
        s -> s.listener().refusedMaxConnectionsPerIp());
    gauge("vireo.connections.open", "SMTP sessions running", s -> s.listener().openConnections());
    gauge(
        "vireo.listener.accepting",
        "1 while the SMTP listener accepts connections",
        s -> s.listener().accepting() ? 1 : 0);
    counter(
        "vireo.messages.accepted",
        "Messages stored and acknowledged with 250",
        s -> s.listener().messagesAccepted());
    counter(
        "vireo.recipients.accepted",
        "Recipients of accepted messages",
        s -> s.listener().recipientsAccepted());
  }

  /**
   * One mail access listener ({@code protocol="pop3"} or {@code "imap"}), under names of their own
   * so the unlabelled SMTP series above stay as they were.
   */
  private void registerAccess(String protocol) {
    accessCounter(
        "vireo.access.connections.accepted",
        "POP3 and IMAP connections admitted",
        protocol,
        Tags.empty(),
        ConnectionStats::acceptedConnections);
    String refused = "POP3 and IMAP connections refused, by the limit they hit";
    accessCounter(
        "vireo.access.connections.refused",
        refused,
        protocol,
        Tags.of("reason", "max_connections"),
        ConnectionStats::refusedMaxConnections);
    accessCounter(
        "vireo.access.connections.refused",
        refused,
        protocol,
        Tags.of("reason", "max_connections_per_ip"),
        ConnectionStats::refusedMaxConnectionsPerIp);
    Gauge.builder(
            "vireo.access.connections.open",
            this,
            m -> access(m, protocol, ConnectionStats::openConnections))
        .description("POP3 and IMAP sessions running")
        .tag("protocol", protocol)
        .strongReference(true)
        .register(registry);
    Gauge.builder(
            "vireo.access.listener.accepting",
            this,
            m -> access(m, protocol, c -> c.accepting() ? 1 : 0))
        .description("1 while the POP3 or IMAP listener accepts connections")
        .tag("protocol", protocol)
        .strongReference(true)
        .register(registry);
  }

  private void accessCounter(
      String name,
      String help,
      String protocol,
      Tags tags,
      ToDoubleFunction<ConnectionStats> value) {
    FunctionCounter.builder(name, this, m -> access(m, protocol, value))
        .description(help)
        .tag("protocol", protocol)
        .tags(tags)
        .register(registry);
  }

  private static double access(
      RelayMetrics metrics, String protocol, ToDoubleFunction<ConnectionStats> value) {
    ConnectionStats stats = metrics.current.access().get(protocol);
    return stats == null ? 0 : value.applyAsDouble(stats);
  }

  private void registerDelivery() {
    counter(
        "vireo.recipients.delivered",
        "Recipients accepted by the next hop",
        s -> s.delivery().delivered());
    counter(
        "vireo.recipients.deferred",
        "Recipient attempts deferred for a retry",
        s -> s.delivery().deferred());
    counter("vireo.recipients.bounced", "Recipients failed for good", s -> s.delivery().bounced());
    counter(
        "vireo.recipients.expired",
        "Recipients failed at delivery.retry.max-age (also counted as bounced)",
        s -> s.delivery().expired());
    counter(
        "vireo.dsn.bounces",
        "Non-delivery reports spooled to senders",
        s -> s.delivery().bouncesQueued());
    counter(
        "vireo.dsn.delays", "Delay reports spooled to senders", s -> s.delivery().delayNotices());
    counter(
        "vireo.destination.suspensions",
        "Times a destination was suspended (backoff)",
        s -> s.delivery().suspensions());
    counter(
        "vireo.outbound.connections.opened",
        "Outbound SMTP connections opened",
        s -> s.delivery().connectionsOpened());
    counter(
        "vireo.outbound.connections.reused",
        "Transactions sent over an outbound connection that had carried one before",
        s -> s.delivery().connectionsReused());
    gauge(
        "vireo.outbound.connections.idle",
        "Idle outbound connections pooled",
        s -> s.delivery().pool().idle());
    gauge(
        "vireo.queue.destinations",
        "Destinations with queued work, workers or a backoff",
        s -> s.delivery().destinations());
    gauge(
        "vireo.queue.scheduled",
        "Timer entries waiting for their next attempt (one message's recipients due together)",
        s -> s.delivery().scheduled());
  }

  private void registerSpoolAndDns() {
    gauge(
        "vireo.spool.messages",
        "Messages in the spool with a recipient not yet final",
        s -> s.spool().pendingMessages());
    bytes(
        "vireo.spool.usable",
        "Usable space on the spool's file system",
        s -> s.spool().usableBytes());
    bytes(
        "vireo.spool.min.free",
        "spool.min-free-space: below it new mail is refused",
        s -> s.spool().minFreeBytes());
    gauge(
        "vireo.spool.writable",
        "1 while the spool would store a new message",
        s -> s.spool().writable() ? 1 : 0);
    counter(
        "vireo.delivery.shared.limit.fallbacks",
        "Rate and connection decisions taken with this node's own limits: cluster.redis unreachable",
        s -> s.delivery().sharedLimitFallbacks());
    gauge(
        "vireo.spool.damage.found",
        "Damage recovery found and quarantined when the spool was opened (ranges, contents, files)",
        s -> s.spool().damageFoundAtOpen());
    counter(
        "vireo.spool.damaged.contents",
        "Message contents that failed their CRC-32C when read for delivery (then bounced)",
        s -> s.spool().damagedContentReads());
    String hits = "DNS lookups answered from the cache";
    String misses = "DNS lookups that asked a server";
    counter("vireo.dns.cache.hits", hits, "cache", "mx", s -> s.dns().mxHits());
    counter("vireo.dns.cache.misses", misses, "cache", "mx", s -> s.dns().mxMisses());
    counter("vireo.dns.cache.hits", hits, "cache", "address", s -> s.dns().addressHits());
    counter("vireo.dns.cache.misses", misses, "cache", "address", s -> s.dns().addressMisses());
  }

  private void counter(String name, String help, ToDoubleFunction<RelaySnapshot> value) {
    FunctionCounter.builder(name, this, m -> value.applyAsDouble(m.current))
        .description(help)
        .register(registry);
  }

  private void counter(
      String name,
      String help,
      String tag,
      String tagValue,
      ToDoubleFunction<RelaySnapshot> value) {
    FunctionCounter.builder(name, this, m -> value.applyAsDouble(m.current))
        .description(help)
        .tag(tag, tagValue)
        .register(registry);
  }

  private void gauge(String name, String help, ToDoubleFunction<RelaySnapshot> value) {
    Gauge.builder(name, this, m -> value.applyAsDouble(m.current))
        .description(help)
        .strongReference(true)
        .register(registry);
  }

  private void bytes(String name, String help, ToDoubleFunction<RelaySnapshot> value) {
    Gauge.builder(name, this, m -> value.applyAsDouble(m.current))
        .description(help)
        .baseUnit(BaseUnits.BYTES)
        .strongReference(true)
        .register(registry);
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
