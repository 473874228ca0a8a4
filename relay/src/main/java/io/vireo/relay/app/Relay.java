package io.vireo.relay.app;

import com.github.benmanes.caffeine.cache.Ticker;
import io.vireo.config.AuthConfig;
import io.vireo.config.DnsConfig;
import io.vireo.config.SyncPolicy;
import io.vireo.config.VireoConfig;
import io.vireo.queue.Durability;
import io.vireo.queue.MessageIdGenerator;
import io.vireo.queue.Spool;
import io.vireo.queue.SpoolOptions;
import io.vireo.queue.chronicle.ChronicleSpool;
import io.vireo.relay.auth.LoginThrottle;
import io.vireo.relay.auth.UserStore;
import io.vireo.relay.auth.UsersFile;
import io.vireo.relay.delivery.DeliveryEngine;
import io.vireo.relay.dkim.DkimSigner;
import io.vireo.relay.dns.MxResolver;
import io.vireo.relay.dns.MxResolverOptions;
import io.vireo.relay.tls.TlsServerContext;
import io.vireo.relay.server.ServerAuth;
import io.vireo.relay.server.ServerSecurity;
import io.vireo.relay.server.ServerSettings;
import io.vireo.relay.server.SmtpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
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
      DkimSigner dkim = DkimSigner.load(config.dkim(), clock);
      MessageIdGenerator ids = new MessageIdGenerator(clock);
      delivery =
          DeliveryEngine.create(
              config.delivery(), config.hostname(), spool, resolver(config.delivery().dns()), ids, clock);
      delivery.start();
      SmtpServer smtp =
          new SmtpServer(
              ServerSettings.from(config),
              security(config, clock),
              spool,
              ids,
              clock,
              dkim::sign,
              delivery::submit);
      smtp.start();
      Relay relay = new Relay(spool, delivery, smtp);
      log.info(
          "vireo ready: smtp={} smtps={} spool={} sync={}",
          relay.smtpAddresses().stream().map(Relay::format).collect(Collectors.joining(",")),
          relay.smtpsAddresses().stream().map(Relay::format).collect(Collectors.joining(",")),
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
   * TLS for the listeners when a certificate is configured (the PEM files are read here, once), and
   * SMTP AUTH when a users file is.
   */
  static ServerSecurity security(VireoConfig config, Clock clock) throws IOException {
    Optional<TlsServerContext> tls = Optional.empty();
    if (config.tls().enabled()) {
      tls =
          Optional.of(
              TlsServerContext.load(
                  config.tls().certFile().orElseThrow(), config.tls().keyFile().orElseThrow()));
    }
    Optional<ServerAuth> auth = Optional.empty();
    AuthConfig authConfig = config.auth();
    if (authConfig.enabled()) {
      Path usersFile = authConfig.usersFile().orElseThrow();
      UserStore users;
      try {
        users = new UserStore(usersFile);
      } catch (UsersFile.UsersFileException e) {
        throw new IOException("auth.users-file " + e.getMessage(), e);
      }
      if (users.names().isEmpty()) {
        log.warn("auth.users-file {} lists no users yet (vireo user add NAME)", usersFile);
      }
      if (!authConfig.requireTls() || tls.isEmpty()) {
        log.warn(
            tls.isEmpty() && authConfig.requireTls()
                ? "auth.users-file is set but no TLS certificate: AUTH will never be offered"
                : "auth.require-tls is false: passwords may cross the network in clear");
      }
      LoginThrottle throttle =
          new LoginThrottle(
              authConfig.throttleAfter(),
              authConfig.throttleDelay(),
              authConfig.lockoutAfter(),
              authConfig.lockoutDuration(),
              clock);
      auth = Optional.of(new ServerAuth(users, throttle, authConfig.requireTls()));
    }
    return new ServerSecurity(tls, auth);
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

  /** The implicit-TLS ({@code listen.smtps}) addresses actually bound. */
  public List<InetSocketAddress> smtpsAddresses() {
    return smtp.boundImplicitTlsAddresses();
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
