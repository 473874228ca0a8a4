package io.vireo.relay.server;

import io.vireo.relay.listen.ProxyTrust;
import io.vireo.config.Cidr;
import io.vireo.config.LimitsConfig;
import io.vireo.config.NulPolicy;
import io.vireo.config.RelayConfig;
import io.vireo.config.SenderLimits;
import io.vireo.queue.Envelope;
import io.vireo.queue.MessageContent;
import io.vireo.queue.MessageIdGenerator;
import io.vireo.relay.testing.SmtpTestClient;
import io.vireo.relay.tls.TlsServerContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * A running {@link SmtpServer} on an ephemeral loopback port with a {@link RecordingSpool},
 * configured through small setters before {@link #start()}. Defaults: host {@code mx.test},
 * 127.0.0.0/8 may relay, {@code local.test} is accepted from anyone, generous limits.
 */
final class ServerFixture implements AutoCloseable {
  static final Instant NOW = Instant.parse("2025-06-03T11:05:30Z");
  static final String HOSTNAME = "mx.test";
  static final Clock NOW_CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  final RecordingSpool spool = new RecordingSpool();
  final List<Envelope> accepted = new CopyOnWriteArrayList<>();
  final List<String> acceptingThreads = new CopyOnWriteArrayList<>();
  private Clock clock = NOW_CLOCK;
  private SenderLimits senderLimits = SenderLimits.DEFAULTS;
  private UnaryOperator<MessageContent> beforeStore = UnaryOperator.identity();

  private long maxMessageSize = 1_000_000;
  private int maxRecipients = 5;
  private int maxConnections = 20;
  private int maxConnectionsPerIp = 20;
  private Duration commandTimeout = Duration.ofSeconds(10);
  private Duration dataTimeout = Duration.ofSeconds(10);
  private int maxErrors = 10;
  private NulPolicy nul = NulPolicy.REJECT;
  private List<Cidr> allowNetworks = List.of(Cidr.parse("127.0.0.0/8"));
  private List<String> domains = List.of("local.test");
  private Duration greetingDelay = Duration.ZERO;
  private TlsServerContext tls;
  private ServerAuth auth;
  private boolean implicitTlsListener;
  private ProxyTrust proxy = ProxyTrust.OFF;
  private SmtpServer server;

  ServerFixture maxMessageSize(long octets) {
    this.maxMessageSize = octets;
    return this;
  }

  ServerFixture maxRecipients(int count) {
    this.maxRecipients = count;
    return this;
  }

  ServerFixture maxConnections(int total, int perIp) {
    this.maxConnections = total;
    this.maxConnectionsPerIp = perIp;
    return this;
  }

  ServerFixture timeouts(Duration command, Duration data) {
    this.commandTimeout = command;
    this.dataTimeout = data;
    return this;
  }

  ServerFixture maxErrors(int count) {
    this.maxErrors = count;
    return this;
  }

  ServerFixture nul(NulPolicy policy) {
    this.nul = policy;
    return this;
  }

  /** The server's clock (a fixed one by default). */
  ServerFixture clock(Clock clock) {
    this.clock = clock;
    return this;
  }

  /** What the server does to each message before storing it (DKIM signing). */
  ServerFixture beforeStore(UnaryOperator<MessageContent> transform) {
    this.beforeStore = transform;
    return this;
  }

  ServerFixture senderLimits(SenderLimits limits) {
    this.senderLimits = limits;
    return this;
  }

  ServerFixture allowNetworks(String... networks) {
    this.allowNetworks = List.of(networks).stream().map(Cidr::parse).toList();
    return this;
  }

  ServerFixture greetingDelay(Duration delay) {
    this.greetingDelay = delay;
    return this;
  }

  /** Offers STARTTLS with this context. */
  ServerFixture tls(TlsServerContext context) {
    this.tls = context;
    return this;
  }

  /** Offers AUTH with these users and this throttle. */
  ServerFixture auth(ServerAuth auth) {
    this.auth = auth;
    return this;
  }

  /** Also listens on an implicit-TLS port (needs {@link #tls}). */
  ServerFixture implicitTlsListener() {
    this.implicitTlsListener = true;
    return this;
  }

  /** Expects a PROXY protocol header from these networks, within {@code headerTimeout}. */
  ServerFixture proxyFrom(Duration headerTimeout, String... networks) {
    this.proxy =
        new ProxyTrust(List.of(networks).stream().map(Cidr::parse).toList(), headerTimeout);
    return this;
  }

  ServerFixture start() throws IOException {
    LimitsConfig limits =
        new LimitsConfig(
            maxMessageSize,
            maxRecipients,
            maxConnections,
            maxConnectionsPerIp,
            commandTimeout,
            dataTimeout,
            maxErrors,
            nul,
            senderLimits);
    ServerSettings settings =
        new ServerSettings(
            HOSTNAME,
            List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)),
            implicitTlsListener
                ? List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                : List.of(),
            limits,
            new RelayConfig(allowNetworks, domains),
            greetingDelay,
            proxy);
    server =
        new SmtpServer(
            settings,
            new ServerSecurity(Optional.ofNullable(tls), Optional.ofNullable(auth)),
            spool,
            new MessageIdGenerator(clock),
            clock,
            beforeStore,
            envelope -> {
              accepted.add(envelope);
              acceptingThreads.add(Thread.currentThread().getName());
            });
    server.start();
    return this;
  }

  SmtpServer server() {
    return server;
  }

  InetSocketAddress address() {
    return server.boundAddresses().getFirst();
  }

  InetSocketAddress implicitTlsAddress() {
    return server.boundImplicitTlsAddresses().getFirst();
  }

  /** Connects and reads the greeting. */
  SmtpTestClient connect() throws IOException {
    SmtpTestClient client = SmtpTestClient.connect(address());
    client.expect(220);
    return client;
  }

  /** Connects, reads the greeting and says EHLO. */
  SmtpTestClient connectAndEhlo() throws IOException {
    SmtpTestClient client = connect();
    client.send("EHLO client.test").expect(250);
    return client;
  }

  /** Waits for a condition, polling, up to a deadline; fails the test if it never holds. */
  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      LockSupport.parkNanos(Duration.ofMillis(5).toNanos());
    }
  }

  @Override
  public void close() {
    if (server != null) {
      server.close(Duration.ofSeconds(5));
    }
  }
}
