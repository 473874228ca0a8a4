package io.vireo.relay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.config.BackoffConfig;
import io.vireo.config.DeliveryConfig;
import io.vireo.config.DestinationLimits;
import io.vireo.config.DnsConfig;
import io.vireo.config.EngineTuning;
import io.vireo.config.HostPort;
import io.vireo.config.Rate;
import io.vireo.config.RetryConfig;
import io.vireo.config.RouteConfig;
import io.vireo.config.ShapingRule;
import io.vireo.config.TlsMode;
import io.vireo.queue.BodyType;
import io.vireo.queue.Durability;
import io.vireo.queue.Envelope;
import io.vireo.queue.MessageContent;
import io.vireo.queue.MessageId;
import io.vireo.queue.MessageIdGenerator;
import io.vireo.queue.QueuedMessage;
import io.vireo.queue.Recipient;
import io.vireo.queue.RecipientState;
import io.vireo.queue.RecipientStatus;
import io.vireo.queue.Ret;
import io.vireo.queue.SpoolOptions;
import io.vireo.queue.StoredMessage;
import io.vireo.queue.chronicle.ChronicleSpool;
import io.vireo.queue.testing.ManualClock;
import io.vireo.relay.delivery.outcome.dsn.DsnComposer;
import io.vireo.relay.delivery.schedule.Ticker;
import io.vireo.relay.delivery.schedule.limits.LocalLimits;
import io.vireo.relay.delivery.schedule.limits.SharedLimits;
import io.vireo.relay.delivery.smtp.ClientTimeouts;
import io.vireo.relay.delivery.smtp.SmtpClientConnection;
import io.vireo.relay.dns.MxResolver;
import io.vireo.relay.dns.MxResolverOptions;
import io.vireo.relay.testing.Await;
import io.vireo.relay.testing.LoopbackDnsServer;
import io.vireo.relay.testing.ScriptedSmtpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A delivery engine wired to real parts for tests: a Chronicle spool in a temporary directory, MX
 * lookups against an in-process DNS server on loopback, and {@link ScriptedSmtpServer}s on
 * 127.0.0.x addresses, all listening on one port (the engine's {@code delivery.port}).
 *
 * <p>Tests adjust {@link #settings} before {@link #start()}; short retry delays keep them fast.
 */
final class DeliveryHarness implements AutoCloseable {
  static final String HOSTNAME = "relay.test";
  static final Duration WAIT = Duration.ofSeconds(15);
  static final String BODY = "Subject: test\r\nFrom: <a@sender.test>\r\n\r\nhello\r\n";

  /** The {@code delivery} section under test, as plain fields. */
  static final class Settings {
    List<RouteConfig> routes = List.of();
    List<Duration> schedule = List.of(Duration.ofMillis(200), Duration.ofMillis(400));
    Duration maxAge = Duration.ofSeconds(60);
    Duration delayWarning = Duration.ZERO;
    DestinationLimits defaults =
        new DestinationLimits(4, Rate.unlimited(), 100, Duration.ofSeconds(5));
    List<ShapingRule> shaping = List.of();
    BackoffConfig backoff = new BackoffConfig(Duration.ofMillis(300), Duration.ofSeconds(1));
    int maxConnections = 20;
    Duration shutdownGrace = Duration.ofSeconds(2);
    /** Where the engine keeps destination limits; a new one per {@link #start()}. */
    Supplier<SharedLimits> limits = LocalLimits::new;
    /**
     * The engine's time and the arrival of the messages sent; a {@link ManualClock} makes it a
     * manual ticker, so retries, pauses and rates wait until the test moves the clock.
     */
    Clock clock = Clock.systemUTC();
  }

  final Settings settings = new Settings();
  final LoopbackDnsServer dns;
  final int mxPort;
  private final Path spoolDir;
  private final List<ScriptedSmtpServer> servers = new ArrayList<>();
  private final MessageIdGenerator ids = new MessageIdGenerator(Clock.systemUTC());
  private EventRecordingSpool spool;
  private DeliveryEngine engine;

  DeliveryHarness(Path spoolDir) throws IOException {
    this.spoolDir = spoolDir;
    this.dns = new LoopbackDnsServer();
    this.mxPort = freePort();
    openSpool();
  }

  // ---- the world outside ------------------------------------------------------------------

  /**
   * An SMTP server on {@code ip} (127.0.0.x) and the shared port, the only MX of {@code domain}.
   */
  ScriptedSmtpServer mx(String domain, String ip) throws IOException {
    ScriptedSmtpServer server = server(ip);
    mxRecord(domain, 10, "mx." + domain, ip);
    return server;
  }

  /** An SMTP server on {@code ip} and the shared port, without DNS records. */
  ScriptedSmtpServer server(String ip) throws IOException {
    ScriptedSmtpServer server = new ScriptedSmtpServer(ip, mxPort).hostname("mx-" + ip + ".test");
    servers.add(server);
    return server;
  }

  /** An MX record for {@code domain} and the address record of its host. */
  void mxRecord(String domain, int preference, String host, String ip) {
    dns.mx(domain, preference, host, 300).a(host, ip, 300);
  }

  // ---- the relay side ---------------------------------------------------------------------

  DeliveryConfig config() {
    return new DeliveryConfig(
        mxPort,
        new DnsConfig(List.of(new HostPort("127.0.0.1", dns.address().getPort()))),
        settings.routes,
        new RetryConfig(settings.schedule, settings.maxAge),
        "",
        settings.maxConnections,
        TlsMode.NONE,
        settings.delayWarning,
        settings.defaults,
        settings.shaping,
        settings.backoff);
  }

  DeliveryEngine start() {
    Clock clock = settings.clock;
    Ticker ticker =
        clock instanceof ManualClock manual
            ? Ticker.manual(manual, manual::onAdvance)
            : Ticker.system(clock);
    MxResolver resolver =
        new MxResolver(
            List.of(dns.address()),
            com.github.benmanes.caffeine.cache.Ticker.systemTicker(),
            new Random(11),
            MxResolverOptions.defaults()
                .withQueryTimeout(Duration.ofMillis(500))
                .withLookupTimeout(Duration.ofSeconds(2))
                .withTempFailTtl(Duration.ofMillis(50)));
    engine =
        new DeliveryEngine(
            config(),
            spool,
            resolver,
            SmtpClientConnection.opener(
                HOSTNAME, null, ClientTimeouts.uniform(Duration.ofSeconds(5))),
            new DsnComposer(HOSTNAME, ids, clock),
            ticker,
            new Random(7),
            EngineTuning.DEFAULTS.withStopGrace(settings.shutdownGrace),
            settings.limits.get());
    engine.start();
    return engine;
  }

  /** Stops the engine and the spool, as a relay shutting down would. */
  void stop() {
    if (engine != null) {
      engine.close();
      engine = null;
    }
    spool.close();
  }

  /** {@link #stop()}, then a new spool on the same files and a new engine. */
  DeliveryEngine restart() {
    stop();
    openSpool();
    return start();
  }

  DeliveryEngine engine() {
    return engine;
  }

  EventRecordingSpool spool() {
    return spool;
  }

  // ---- messages ---------------------------------------------------------------------------

  /** Spools a 7-bit message and hands it to the engine, as the SMTP server does. */
  Envelope send(String sender, String... recipients) {
    return send(envelope(sender, BodyType.SEVEN_BIT, false, recipients), BODY);
  }

  Envelope send(Envelope envelope, String content) {
    spool.store(envelope, MessageContent.of(content.getBytes(StandardCharsets.UTF_8)));
    engine.submit(envelope);
    return envelope;
  }

  Envelope envelope(String sender, BodyType bodyType, boolean smtpUtf8, String... recipients) {
    List<Recipient> list = new ArrayList<>();
    for (String address : recipients) {
      list.add(new Recipient(address, Set.of(), null));
    }
    return new Envelope(
        ids.next(),
        sender,
        list,
        bodyType,
        smtpUtf8,
        Ret.UNSPECIFIED,
        null,
        settings.clock.instant(),
        "127.0.0.1",
        "client.test");
  }

  RecipientStatus status(MessageId id, String recipient) {
    QueuedMessage message = spool.find(id).orElseThrow();
    return message.recipients().stream()
        .filter(r -> r.recipient().address().equals(recipient))
        .findFirst()
        .orElseThrow();
  }

  void awaitState(Envelope envelope, String recipient, RecipientState state) {
    Await.until(
        recipient + " of " + envelope.id() + " is " + state,
        WAIT,
        () -> status(envelope.id(), recipient).state() == state);
  }

  /** The attempts recorded for a recipient reach {@code count}. */
  void awaitAttempts(Envelope envelope, String recipient, int count) {
    Await.until(
        recipient + " of " + envelope.id() + " has " + count + " attempts",
        WAIT,
        () -> status(envelope.id(), recipient).attempts() >= count);
  }

  /** The report spooled for a bounced recipient, read back from the spool. */
  StoredMessage bounceFor(Envelope envelope, String recipient) {
    MessageId bounceId =
        spool.events(io.vireo.queue.SpoolEvent.Bounced.class).stream()
            .filter(b -> b.messageId().equals(envelope.id()) && b.recipient().equals(recipient))
            .findFirst()
            .orElseThrow()
            .bounceId();
    assertThat(bounceId).as("a report was spooled for " + recipient).isNotNull();
    return spool.read(bounceId).orElseThrow();
  }

  @Override
  public void close() throws Exception {
    try {
      stop();
    } finally {
      for (ScriptedSmtpServer server : servers) {
        server.close();
      }
      dns.close();
    }
  }

  private void openSpool() {
    spool =
        new EventRecordingSpool(
            ChronicleSpool.open(
                new SpoolOptions(spoolDir, Durability.GROUP, Clock.systemUTC())
                    .withMaintenancePeriod(Duration.ZERO)));
  }

  /** A port free on 127.0.0.2; the other 127.0.0.x addresses are almost surely free on it too. */
  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), 0));
      return probe.getLocalPort();
    }
  }
}
