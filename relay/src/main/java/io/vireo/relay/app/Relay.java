package io.vireo.relay.app;

import com.github.benmanes.caffeine.cache.Ticker;
import io.vireo.config.DnsConfig;
import io.vireo.config.SyncPolicy;
import io.vireo.config.VireoConfig;
import io.vireo.queue.Durability;
import io.vireo.queue.MessageIdGenerator;
import io.vireo.queue.Spool;
import io.vireo.queue.SpoolOptions;
import io.vireo.queue.chronicle.ChronicleSpool;
import io.vireo.relay.delivery.DeliveryEngine;
import io.vireo.relay.delivery.limits.LocalLimits;
import io.vireo.relay.delivery.limits.RedisLimits;
import io.vireo.relay.delivery.limits.SharedLimits;
import io.vireo.relay.dns.MxResolver;
import io.vireo.relay.dns.MxResolverOptions;
import io.vireo.relay.server.ServerSettings;
import io.vireo.relay.server.SmtpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running relay: the one place that knows every part and the order they start and stop in. The spool
 * opens (and recovers) first; the delivery engine then schedules what the spool holds; only then does
 * the listener accept connections, handing each accepted message to the engine. Closing runs the other
 * way: listener, engine (letting running transactions finish), spool, so nothing acknowledged can be cut
 * off.
 */
public final class Relay implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Relay.class);

  private final Spool spool;
  private final DeliveryEngine delivery;
  private final SmtpServer smtp;

  private Relay(Spool spool, DeliveryEngine delivery, SmtpServer smtp) {
    this.spool = spool;
    this.delivery = delivery;
    this.smtp = smtp;
  }

  public static Relay start(VireoConfig config) throws IOException {
    Clock clock = Clock.systemUTC();
    Spool spool =
        ChronicleSpool.open(
            new SpoolOptions(config.spool().dir(), durability(config.spool().sync()), clock));
    DeliveryEngine delivery = null;
    try {
      MessageIdGenerator ids = new MessageIdGenerator(clock);
      delivery = deliveryEngine(config, spool, ids, clock);
      delivery.start();
      SmtpServer smtp = new SmtpServer(ServerSettings.from(config), spool, ids, clock, delivery::submit);
      smtp.start();
      Relay relay = new Relay(spool, delivery, smtp);
      log.info(
          "vireo ready: smtp={} spool={} sync={}",
          relay.smtpAddresses().stream().map(Relay::format).collect(Collectors.joining(",")),
          config.spool().dir(),
          config.spool().sync().name().toLowerCase(java.util.Locale.ROOT));
      return relay;
    } catch (IOException | RuntimeException e) {
      if (delivery != null) {
        delivery.close();
      }
      spool.close();
      throw e;
    }
  }

  /**
   * The engine with its limits: shared through {@code cluster.redis} when set (nothing is asked of
   * Redis until mail flows), else this node's own. The engine owns and closes them.
   */
  private static DeliveryEngine deliveryEngine(
      VireoConfig config, Spool spool, MessageIdGenerator ids, Clock clock) {
    SharedLimits limits =
        config
            .cluster()
            .redis()
            .<SharedLimits>map(redis -> RedisLimits.connect(redis, clock))
            .orElseGet(LocalLimits::new);
    try {
      return DeliveryEngine.create(
          config.delivery(),
          config.hostname(),
          spool,
          resolver(config.delivery().dns()),
          ids,
          clock,
          limits);
    } catch (RuntimeException e) {
      limits.close();
      throw e;
    }
  }

  /** {@code delivery.dns.timeout} bounds a whole lookup; one query gets at most the default share. */
  private static MxResolver resolver(DnsConfig dns) {
    MxResolverOptions defaults = MxResolverOptions.defaults();
    Duration query =
        dns.timeout().compareTo(defaults.queryTimeout()) < 0 ? dns.timeout() : defaults.queryTimeout();
    return MxResolver.fromConfig(
        dns, Ticker.systemTicker(), defaults.withLookupTimeout(dns.timeout()).withQueryTimeout(query));
  }

  static Durability durability(SyncPolicy policy) {
    return switch (policy) {
      case GROUP -> Durability.GROUP;
      case ALWAYS -> Durability.ALWAYS;
      case NONE -> Durability.NONE;
    };
  }

  public List<InetSocketAddress> smtpAddresses() {
    return smtp.boundAddresses();
  }

  public Spool spool() {
    return spool;
  }

  /** The delivery engine, for its counters. */
  public DeliveryEngine delivery() {
    return delivery;
  }

  private static String format(InetSocketAddress address) {
    String host = address.getAddress().getHostAddress();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  @Override
  public void close() {
    log.info("vireo stopping");
    smtp.close();
    delivery.close();
    spool.close();
    log.info("vireo stopped");
  }
}
