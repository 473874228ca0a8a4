package io.vireo.relay.app;

import io.vireo.config.SyncPolicy;
import io.vireo.config.VireoConfig;
import io.vireo.queue.Durability;
import io.vireo.queue.MessageIdGenerator;
import io.vireo.queue.Spool;
import io.vireo.queue.SpoolOptions;
import io.vireo.queue.chronicle.ChronicleSpool;
import io.vireo.relay.server.ServerSettings;
import io.vireo.relay.server.SmtpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running relay: the one place that knows every part and the order they start and stop in. The spool
 * opens (and recovers) before the listener accepts its first connection, and closes only after the last
 * session has finished, so nothing acknowledged can be cut off.
 */
public final class Relay implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Relay.class);

  private final Spool spool;
  private final SmtpServer smtp;

  private Relay(Spool spool, SmtpServer smtp) {
    this.spool = spool;
    this.smtp = smtp;
  }

  public static Relay start(VireoConfig config) throws IOException {
    Clock clock = Clock.systemUTC();
    Spool spool =
        ChronicleSpool.open(
            new SpoolOptions(config.spool().dir(), durability(config.spool().sync()), clock));
    try {
      SmtpServer smtp =
          new SmtpServer(
              ServerSettings.from(config), spool, new MessageIdGenerator(clock), clock, envelope -> {});
      smtp.start();
      Relay relay = new Relay(spool, smtp);
      log.info(
          "vireo ready: smtp={} spool={} sync={}",
          relay.smtpAddresses().stream().map(Relay::format).collect(Collectors.joining(",")),
          config.spool().dir(),
          config.spool().sync().name().toLowerCase(java.util.Locale.ROOT));
      return relay;
    } catch (IOException | RuntimeException e) {
      spool.close();
      throw e;
    }
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

  private static String format(InetSocketAddress address) {
    String host = address.getAddress().getHostAddress();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  @Override
  public void close() {
    log.info("vireo stopping");
    smtp.close();
    spool.close();
    log.info("vireo stopped");
  }
}
