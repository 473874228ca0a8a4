package io.vireo.relay.app;

import com.github.benmanes.caffeine.cache.Ticker;
import io.vireo.config.AuthConfig;
import io.vireo.config.DnsConfig;
import io.vireo.config.SyncPolicy;
import io.vireo.config.VireoConfig;
import io.vireo.mailbox.store.MailStore;
import io.vireo.queue.Durability;
import io.vireo.queue.MessageIdGenerator;
import io.vireo.queue.Spool;
import io.vireo.queue.SpoolOptions;
import io.vireo.queue.chronicle.ChronicleSpool;
import io.vireo.relay.admin.AdminAccess;
import io.vireo.relay.admin.AdminServer;
import io.vireo.relay.admin.AdminSetupException;
import io.vireo.relay.admin.RelayMetrics;
import io.vireo.relay.admin.ReloadResult;
import io.vireo.relay.admin.StatsSources;
import io.vireo.relay.api.ApiParts;
import io.vireo.relay.api.ApiServer;
import io.vireo.relay.api.LabelStore;
import io.vireo.relay.api.SubmissionLabels;
import io.vireo.relay.access.AccessServer;
import io.vireo.relay.auth.LoginThrottle;
import io.vireo.relay.auth.UserStore;
import io.vireo.relay.auth.UsersFile;
import io.vireo.relay.delivery.DeliveryEngine;
import io.vireo.relay.delivery.DeliveryHooks;
import io.vireo.relay.events.EventSink;
import io.vireo.relay.events.LabelLookup;
import io.vireo.relay.suppression.SuppressionList;
import io.vireo.relay.webhooks.Webhooks;
import io.vireo.relay.delivery.schedule.limits.LocalLimits;
import io.vireo.relay.delivery.schedule.limits.RedisAccess;
import io.vireo.relay.delivery.schedule.limits.RedisLimits;
import io.vireo.relay.delivery.schedule.limits.SharedLimits;
import io.vireo.relay.dkim.DkimSigner;
import io.vireo.relay.dns.MxResolver;
import io.vireo.relay.dns.MxResolverOptions;
import io.vireo.relay.local.LocalDelivery;
import io.vireo.relay.intake.MessageIntake;
import io.vireo.relay.listen.ConnectionStats;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running relay: the one place that knows every part and the order they start and stop in. The
 * spool opens (and recovers) first; the delivery engine then schedules what the spool holds; only
 * then does the listener accept connections, handing each accepted message to the engine; the POP3
 * and IMAP listeners follow; the admin server comes last, reading every part's stats. Closing
 * drains the listeners first (the admin server still answers, {@code /readyz} with 503), with the
 * engine (letting running transactions finish) beside them, then closes the admin server and the
 * spool, so nothing acknowledged can be cut off.
 */
public final class Relay implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Relay.class);

  private final Spool spool;
  private final DeliveryEngine delivery;
  private final SmtpServer smtp;
  private final ApiServer api; // null when listen.http is unset
  private final List<AccessServer> access;
  private final RelayMetrics metrics;
  private final Reloads reloads;
  private final Notifications notifications;
  private final MailStore mailStore;
  private volatile AdminServer admin; // set once, right after construction
  private final AtomicBoolean closed = new AtomicBoolean();

  private Relay(
      Spool spool,
      DeliveryEngine delivery,
      SmtpServer smtp,
      ApiServer api,
      List<AccessServer> access,
      RelayMetrics metrics,
      Reloads reloads,
      Notifications notifications,
      MailStore mailStore) {
    this.notifications = notifications;
    this.spool = spool;
    this.mailStore = mailStore;
    this.delivery = delivery;
    this.smtp = smtp;
    this.api = api;
    this.access = List.copyOf(access);
    this.metrics = metrics;
    this.reloads = reloads;
  }

  /** Starts every part in order, with no file to reload from. */
  public static Relay start(VireoConfig config) throws IOException {
    return start(config, null);
  }

  /**
   * Starts every part in order.
   *
   * @param file the file {@code config} was read from, read again by {@link #reload()}; null for
   *     none
   * @throws AdminSetupException before anything starts, when the admin token file is unusable
   * @throws IOException before anything starts when a {@code cluster.redis} file is unusable; when
   *     an address cannot be bound, whatever started is closed again
   */
  public static Relay start(VireoConfig config, Path file) throws IOException {
    return start(config, file, address -> false);
  }

  /**
   * Starts every part in order.
   *
   * @param refused addresses the HTTP API refuses (422) besides those on the suppression list
   */
  public static Relay start(VireoConfig config, Path file, Predicate<String> refused)
      throws IOException {
    Clock clock = Clock.systemUTC();
    // Checked first: a bad token or password file should not cost a spool recovery.
    AdminAccess access =
        AdminAccess.forAddress(
            config.listen().admin().toSocketAddress().getAddress(), config.admin().token());
    Optional<RedisAccess> redis = RedisAccess.load(config.cluster());
    Spool spool =
        ChronicleSpool.open(
            new SpoolOptions(config.spool().dir(), durability(config.spool().sync()), clock)
                .withMinFreeBytes(config.spool().minFreeSpace())
                .withRollCycle(config.spool().rollCycle())
                .withContentCacheBytes(config.spool().contentCache()));
    DeliveryEngine delivery = null;
    MailStore mailStore;
    SmtpServer smtp = null;
    ApiServer api = null;
    List<AccessServer> mailAccess = new ArrayList<>();
    RelayMetrics metrics = null;
    Notifications notifications = null;
    LabelStore labels = null;
    try {
      DkimSigner dkim = DkimSigner.load(config.dkim(), clock);
      MessageIdGenerator ids = new MessageIdGenerator(clock);
      MxResolver resolver = resolver(config.delivery().dns());
      if (config.listen().http().isPresent()) {
        // Before delivery starts: events about messages submitted before a restart keep their labels.
        labels = LabelStore.open(config.api(), config.delivery().retry().maxAge().plusDays(1), clock);
      }
      notifications = Notifications.open(config, eventLabels(labels), clock);
      ServerSecurity security = security(config, clock);
      mailStore = new MailStore(config.mailbox().dir(), clock, config.hostname());
      LocalDelivery local = new LocalDelivery(config.local(), userNames(security), mailStore);
      if (!config.local().domains().isEmpty() && security.auth().isEmpty()) {
        log.warn(
            "local.domains is set but auth.users-file is not: only aliases and catch-alls have"
                + " mailboxes");
      }
      ServerSettings settings = ServerSettings.from(config);
      // One intake for every submitter: SMTP sessions, the HTTP API and delivery's own reports
      // (bounces, notices) store alike. It hands accepted messages to the engine made just below;
      // nothing is accepted before the listeners start, which is after that.
      AtomicReference<DeliveryEngine> engine = new AtomicReference<>();
      MessageIntake intake =
          new MessageIntake(
              spool,
              ids,
              clock,
              config.hostname(),
              SmtpServer.contentPolicy(settings),
              dkim::sign,
              notifications.onAccepted(envelope -> engine.get().submit(envelope)));
      delivery =
          deliveryEngine(
              config,
              redis,
              spool,
              resolver,
              ids,
              clock,
              notifications.deliveryHooks().withReports(intake::report),
              local);
      engine.set(delivery);
      delivery.start();
      smtp =
          new SmtpServer(
              settings, security, intake, ids, clock, notifications.recipientCheck(), local);
      smtp.start();
      if (config.listen().http().isPresent()) {
        api =
            ApiServer.start(
                config.listen().http().get().toSocketAddress(),
                config.api(),
                config.hostname(),
                new ApiParts(
                    intake,
                    spool,
                    labels,
                    apiRefusal(refused, notifications.apiRefusal()),
                    notifications.hub(),
                    notifications.history(),
                    notifications.suppressions()),
                clock);
      }
      // The certificate, user store and throttle in force: Reloads swaps them, POP3 and IMAP read
      // them at each connection and login.
      AtomicReference<ServerSecurity> securityInForce = new AtomicReference<>(security);
      for (AccessServer server :
          MailAccess.servers(
              config, mailStore, securityInForce::get, clock, smtp::proxyTrust, smtp::limits)) {
        mailAccess.add(server);
        server.start();
      }
      List<AccessServer> started = List.copyOf(mailAccess);
      StatsSources sources =
          new StatsSources(
              smtp::stats,
              spool::stats,
              delivery::stats,
              resolver::stats,
              () -> accessStats(started));
      metrics = new RelayMetrics(sources, clock, VersionProvider.version());
      metrics.registerNotifications(
          notifications::stats,
          config.webhooks().stream().map(w -> Webhooks.name(w.url())).toList());
      Reloads reloads =
          new Reloads(
              file, config, securityInForce, smtp, delivery, local, started, notifications, clock);
      Relay relay =
          new Relay(
              spool, delivery, smtp, api, started, metrics, reloads, notifications, mailStore);
      AdminServer admin =
          AdminServer.start(
              config.listen().admin().toSocketAddress(),
              access,
              sources,
              metrics,
              relay::reload,
              new QueueOperations(spool, delivery, notifications.hub(), clock),
              notifications.suppressions());
      relay.admin = admin;
      notifications.startWebhooks(config);
      log.info(
          "vireo ready: smtp={} smtps={} spool={} sync={} admin={} http={}",
          relay.smtpAddresses().stream().map(Relay::format).collect(Collectors.joining(",")),
          relay.smtpsAddresses().stream().map(Relay::format).collect(Collectors.joining(",")),
          config.spool().dir(),
          config.spool().sync().name().toLowerCase(java.util.Locale.ROOT),
          format(admin.boundAddress()),
          relay.apiAddress().map(Relay::format).orElse("off"));
      return relay;
    } catch (IOException | RuntimeException e) {
      if (metrics != null) {
        metrics.close();
      }
      if (api != null) {
        api.close();
      } else if (labels != null) {
        labels.close();
      }
      mailAccess.forEach(AccessServer::close);
      if (smtp != null) {
        smtp.close();
      }
      if (delivery != null) {
        delivery.close();
      }
      if (notifications != null) {
        notifications.close();
      }
      spool.close();
      throw e;
    }
  }

  /** The API's 422: the embedding's own refusals first, then the suppression list. */
  private static Function<String, Optional<String>> apiRefusal(
      Predicate<String> refused, Function<String, Optional<String>> suppressed) {
    return address ->
        refused.test(address) ? Optional.of("refused by the embedding application") : suppressed.apply(address);
  }

  /** The HTTP API's labels as events carry them; none without the API. */
  private static LabelLookup eventLabels(LabelStore labels) {
    if (labels == null) {
      return LabelLookup.NONE;
    }
    return id -> labels.labels(id).orElse(io.vireo.relay.events.Labels.NONE);
  }

  /** The mail access listeners by protocol ({@code pop3}, {@code imap}). */
  private static Map<String, ConnectionStats> accessStats(List<AccessServer> servers) {
    Map<String, ConnectionStats> stats = new LinkedHashMap<>();
    servers.forEach(s -> stats.put(s.protocol().name().toLowerCase(java.util.Locale.ROOT), s.stats()));
    return stats;
  }

  /**
   * TLS for the listeners when a certificate is configured (the PEM files are read here, once), and
   * SMTP AUTH when a users file is.
   */
  static ServerSecurity security(VireoConfig config, Clock clock) throws IOException {
    return security(config, clock, ServerSecurity.NONE);
  }

  /**
   * As {@link #security(VireoConfig, Clock)} for a reload: the login throttle of {@code previous}
   * goes on with the failures it counted (under the new {@code auth.throttle-*} and {@code
   * lockout-*} if they changed), so a reload lets no throttled client in.
   */
  static ServerSecurity security(VireoConfig config, Clock clock, ServerSecurity previous)
      throws IOException {
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
        users = new UserStore(usersFile, authConfig.cacheTtl(), clock);
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
          previous
              .auth()
              .map(
                  before ->
                      before
                          .throttle()
                          .withLimits(
                              authConfig.throttleAfter(),
                              authConfig.throttleDelay(),
                              authConfig.lockoutAfter(),
                              authConfig.lockoutDuration()))
              .orElseGet(
                  () ->
                      new LoginThrottle(
                          authConfig.throttleAfter(),
                          authConfig.throttleDelay(),
                          authConfig.lockoutAfter(),
                          authConfig.lockoutDuration(),
                          clock));
      auth = Optional.of(new ServerAuth(users, throttle, authConfig.requireTls()));
    }
    return new ServerSecurity(tls, auth);
  }

  /** The user names of the users file in {@code security}, as the file says at each call. */
  static Supplier<List<String>> userNames(ServerSecurity security) {
    return security
        .auth()
        .<Supplier<List<String>>>map(auth -> auth.users()::names)
        .orElse(List::of);
  }

  /**
   * The engine with its limits: shared through {@code cluster.redis} ({@code redis}) when set
   * (nothing is asked of Redis until mail flows), else this node's own. The engine owns and closes
   * them.
   */
  private static DeliveryEngine deliveryEngine(
      VireoConfig config,
      Optional<RedisAccess> redis,
      Spool spool,
      MxResolver resolver,
      MessageIdGenerator ids,
      Clock clock,
      DeliveryHooks hooks,
      LocalDelivery local) {
    SharedLimits limits =
        redis
            .<SharedLimits>map(access -> RedisLimits.connect(access, clock))
            .orElseGet(LocalLimits::new);
    try {
      return DeliveryEngine.create(
          config.delivery(),
          config.hostname(),
          spool,
          resolver,
          ids,
          clock,
          limits,
          hooks,
          local);
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

  /** The implicit-TLS ({@code listen.smtps}) addresses actually bound. */
  public List<InetSocketAddress> smtpsAddresses() {
    return smtp.boundImplicitTlsAddresses();
  }

  /** The POP3 or IMAP server, when the configuration has listeners for it. */
  public Optional<AccessServer> accessServer(io.vireo.relay.access.AccessProtocol protocol) {
    return access.stream().filter(s -> s.protocol() == protocol).findFirst();
  }

  /**
   * Reads the configuration file again and applies what can change while running; a file that
   * {@code vireo config check} would refuse is refused with its messages and changes nothing.
   */
  public ReloadResult reload() {
    return reloads.reload();
  }

  /** Applies {@code next} as a reload of a file would. */
  public ReloadResult reload(VireoConfig next) {
    return reloads.apply(next, "(given)");
  }

  public Spool spool() {
    return spool;
  }

  /** The HTTP send API's address, with the real port when port 0 was asked for; empty when off. */
  public Optional<InetSocketAddress> apiAddress() {
    return Optional.ofNullable(api).map(ApiServer::boundAddress);
  }

  /** The tags and metadata of messages submitted through the HTTP API (none when it is off). */
  public SubmissionLabels submissionLabels() {
    return api == null ? id -> Optional.empty() : api.labels();
  }

  /** The admin HTTP address, with the real port when port 0 was asked for. */
  public InetSocketAddress adminAddress() {
    return admin.boundAddress();
  }

  /**
   * The suppression list, when {@code suppression.enabled}: {@code isSuppressed(address)} is the
   * check for the HTTP API's 422.
   */
  public Optional<SuppressionList> suppressions() {
    return notifications.suppressions();
  }

  /** The event sink the relay's parts report to (the HTTP API reports its refusals here). */
  public EventSink events() {
    return notifications.hub();
  }

  /** The mailbox store local delivery writes to: one per process, for POP3 and IMAP too. */
  public MailStore mailStore() {
    return mailStore;
  }

  /** The delivery engine, for its counters. */
  public DeliveryEngine delivery() {
    return delivery;
  }

  private static String format(InetSocketAddress address) {
    String host = address.getAddress().getHostAddress();
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  /**
   * Drains and stops: the listener closes at once ({@code /readyz} answers 503 from then on), idle
   * sessions get 421 at their next command, and sessions inside DATA/BDAT and running deliveries
   * get {@code shutdown.grace} to finish (delivery starts no new transaction meanwhile); then the
   * spool is synced and closed. Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    Duration grace = reloads.current().shutdown().grace();
    log.info("vireo stopping: draining for up to {}", grace);
    // Delivery stops in parallel with the listener's drain, each within the grace; the admin
    // server outlives both: /readyz answers 503 while sessions finish, so a load balancer stops
    // sending before connections are refused.
    List<Thread> stopping = new ArrayList<>();
    stopping.add(
        Thread.ofPlatform().name("vireo-delivery-stop").start(() -> delivery.close(grace)));
    // Every listener drains at once, each within the same grace.
    for (AccessServer server : access) {
      stopping.add(
          Thread.ofPlatform()
              .name("vireo-" + server.protocol().name().toLowerCase(java.util.Locale.ROOT) + "-stop")
              .start(() -> server.close(grace)));
    }
    if (api != null) {
      api.drain();
    }
    smtp.close(grace);
    if (api != null) {
      api.close();
    }
    try {
      for (Thread thread : stopping) {
        thread.join();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    admin.close();
    // After delivery: its last outcomes are still written to the log.
    notifications.close();
    spool.close();
    metrics.close();
    log.info("vireo stopped");
  }
}
