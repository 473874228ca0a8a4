package io.vireo.relay.server;

import io.vireo.config.LimitsConfig;
import io.vireo.config.NulPolicy;
import io.vireo.queue.Envelope;
import io.vireo.queue.MessageContent;
import io.vireo.queue.MessageIdGenerator;
import io.vireo.queue.Spool;
import io.vireo.relay.local.LocalDelivery;
import io.vireo.relay.intake.ContentPolicy;
import io.vireo.relay.intake.MessageIntake;
import io.vireo.relay.protocol.NulOctets;
import io.vireo.relay.listen.Connection;
import io.vireo.relay.listen.ConnectionLimiter.Limit;
import io.vireo.relay.listen.ConnectionStats;
import io.vireo.relay.listen.Endpoint;
import io.vireo.relay.listen.Listener;
import io.vireo.relay.listen.ListenerSession;
import io.vireo.relay.listen.ProxyTrust;
import io.vireo.relay.listen.SessionFactory;
import io.vireo.relay.protocol.Replies;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMTP server of the accept path: a {@link Listener} on {@code listen.smtp} and {@code
 * listen.smtps} whose every admitted connection is served by an {@link SmtpSession}, which hands
 * accepted messages to the {@link Spool}.
 *
 * <p>The listener takes care of permits, per-address limits, PROXY headers, drain and the write
 * watchdog (limit: the command timeout); a connection beyond a limit gets a 421 from its accept
 * thread. This class adds what is SMTP's own: the session context a reload swaps, and the message
 * counters.
 */
public final class SmtpServer implements AutoCloseable, SessionFactory {
  private static final Logger log = LoggerFactory.getLogger(SmtpServer.class);
  private static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);

  // Swapped whole by a reload; each session reads it once, when it starts, so a session runs to
  // its end under one consistent set of settings and policies.
  private final AtomicReference<SessionContext> context;
  private final Listener listener;
  private final LocalDelivery local;
  // Counted here rather than in the session, so the session's code stays free of metrics.
  private final LongAdder messages = new LongAdder();
  private final LongAdder recipients = new LongAdder();

  /**
   * @param onAccepted called on the session thread after a message is stored and acknowledged, e.g.
   *     to wake delivery; must not block for long
   */
  public SmtpServer(
      ServerSettings settings,
      Spool spool,
      MessageIdGenerator ids,
      Clock clock,
      Consumer<Envelope> onAccepted) {
    this(settings, ServerSecurity.NONE, spool, ids, clock, onAccepted);
  }

  /**
   * @param security TLS for STARTTLS and the implicit-TLS listeners; required when {@code
   *     settings} lists implicit-TLS addresses
   * @param onAccepted called on the session thread after a message is stored and acknowledged, e.g.
   *     to wake delivery; must not block for long
   */
  public SmtpServer(
      ServerSettings settings,
      ServerSecurity security,
      Spool spool,
      MessageIdGenerator ids,
      Clock clock,
      Consumer<Envelope> onAccepted) {
    this(settings, security, spool, ids, clock, UnaryOperator.identity(), onAccepted);
  }

  /**
   * @param beforeStore applied once to each accepted message before it is stored, e.g. {@code
   *     DkimSigner::sign}; what it returns is stored and delivered
   */
  public SmtpServer(
      ServerSettings settings,
      ServerSecurity security,
      Spool spool,
      MessageIdGenerator ids,
      Clock clock,
      UnaryOperator<MessageContent> beforeStore,
      Consumer<Envelope> onAccepted) {
    this(
        settings,
        security,
        new MessageIntake(
            Objects.requireNonNull(spool, "spool"),
            Objects.requireNonNull(ids, "ids"),
            Objects.requireNonNull(clock, "clock"),
            settings.hostname(),
            contentPolicy(settings),
            Objects.requireNonNull(beforeStore, "beforeStore"),
            Objects.requireNonNull(onAccepted, "onAccepted")),
        ids,
        clock,
        RecipientCheck.NONE,
        LocalDelivery.none());
  }

  /**
   * @param intake where sessions store what they accept; shared with the relay's other submitters
   *     (the HTTP API)
   * @param recipientCheck asked about each recipient the relay policy accepted (the suppression
   *     list)
   * @param local the local domains: their recipients are judged at RCPT by whether they have a
   *     mailbox with room
   */
  public SmtpServer(
      ServerSettings settings,
      ServerSecurity security,
      MessageIntake intake,
      MessageIdGenerator ids,
      Clock clock,
      RecipientCheck recipientCheck,
      LocalDelivery local) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(recipientCheck, "recipientCheck");
    this.local = Objects.requireNonNull(local, "local");
    this.context =
        new AtomicReference<>(
            context(
                settings,
                security,
                Objects.requireNonNull(intake, "intake"),
                Objects.requireNonNull(ids, "ids"),
                Objects.requireNonNull(clock, "clock"),
                recipientCheck,
                local,
                new SenderQuotas(settings.limits().senders(), clock)));
    List<Endpoint> endpoints = new ArrayList<>();
    settings.listen().forEach(address -> endpoints.add(new Endpoint("smtp", address, false)));
    settings.listenImplicitTls()
        .forEach(address -> endpoints.add(new Endpoint("smtps", address, true)));
    this.listener =
        new Listener(
            "SMTP",
            endpoints,
            this,
            () -> settings().proxy(),
            settings.limits().maxConnections(),
            settings.limits().maxConnectionsPerIp());
  }

  /** The SMTP limits as the intake applies them to whole submissions. */
  public static ContentPolicy contentPolicy(ServerSettings settings) {
    return new ContentPolicy(
        settings.limits().maxMessageSize(),
        settings.limits().nul() == NulPolicy.STRIP ? NulOctets.STRIP : NulOctets.REJECT);
  }

  private SessionContext context(
      ServerSettings settings,
      ServerSecurity security,
      MessageIntake intake,
      MessageIdGenerator ids,
      Clock clock,
      RecipientCheck recipientCheck,
      LocalDelivery local,
      SenderQuotas quotas) {
    Objects.requireNonNull(security, "security");
    if (!settings.listenImplicitTls().isEmpty() && security.tls().isEmpty()) {
      throw new IllegalArgumentException("implicit-TLS listeners need a TLS context");
    }
    return new SessionContext(
        settings,
        intake,
        this::count,
        ids,
        clock,
        new RelayPolicy(settings.relay(), local),
        quotas,
        new ServiceExtensions(
            settings.limits().maxMessageSize(),
            security.tls().isPresent(),
            security.auth().isPresent(),
            security.auth().map(ServerAuth::requireTls).orElse(true)),
        security,
        recipientCheck);
  }

  /**
   * Applies reloaded settings and security to sessions that start from now on (those running keep
   * theirs to their end), and the new connection limits to the next admissions. The listen
   * addresses stay as bound: changing them needs a restart.
   */
  public void reconfigure(ServerSettings settings, ServerSecurity security) {
    Objects.requireNonNull(settings, "settings");
    SessionContext current = context.get();
    current.intake().reconfigure(contentPolicy(settings));
    context.set(
        context(
            settings,
            security,
            current.intake(),
            current.ids(),
            current.clock(),
            current.recipientCheck(),
            local,
            // The counts go on: a reload gives no sender a fresh minute.
            current.quotas().withLimits(settings.limits().senders())));
    listener.setLimits(
        settings.limits().maxConnections(), settings.limits().maxConnectionsPerIp());
  }

  private ServerSettings settings() {
    return context.get().settings();
  }

  /**
   * The load balancers trusted now ({@code listen.proxy-from}, as the last reload left it): the
   * POP3 and IMAP listeners ask at each connection, so they trust the same ones as SMTP.
   */
  public ProxyTrust proxyTrust() {
    return settings().proxy();
  }

  /**
   * The limits in force ({@code limits}, as the last reload left them): the POP3 and IMAP servers
   * ask at each connection, so message size, errors and timeouts follow a reload there too.
   */
  public LimitsConfig limits() {
    return settings().limits();
  }

  private void count(Envelope envelope) {
    messages.increment();
    recipients.add(envelope.recipients().size());
  }

  /** Binds every listen address and starts accepting; if any bind fails, none stays bound. */
  public void start() throws IOException {
    listener.start();
    log.info(
        "SMTP listening on {} (implicit TLS on {}) as {}",
        boundAddresses(),
        boundImplicitTlsAddresses(),
        settings().hostname());
  }

  /**
   * The plain SMTP addresses actually bound, with the real port when port 0 was asked for; in the
   * order of {@link ServerSettings#listen()}.
   */
  public List<InetSocketAddress> boundAddresses() {
    return listener.boundAddresses(false);
  }

  /** The implicit-TLS addresses actually bound, in the order of the settings. */
  public List<InetSocketAddress> boundImplicitTlsAddresses() {
    return listener.boundAddresses(true);
  }

  /** What the listener has done so far and whether it accepts now. */
  public ListenerStats stats() {
    ConnectionStats connections = listener.stats();
    return new ListenerStats(
        connections.accepting(),
        connections.openConnections(),
        connections.acceptedConnections(),
        connections.refusedMaxConnections(),
        connections.refusedMaxConnectionsPerIp(),
        messages.sum(),
        recipients.sum());
  }

  /** Sessions currently running. */
  public int activeSessions() {
    return listener.activeSessions();
  }

  /**
   * Stops accepting, ends idle sessions with 421 at once, waits up to 30 seconds for sessions
   * receiving or storing a message, then closes whatever is left.
   */
  @Override
  public void close() {
    close(DEFAULT_SHUTDOWN_GRACE);
  }

  /**
   * As {@link #close()}, with {@code grace} as the wait for sessions in the middle of a message.
   */
  public void close(Duration grace) {
    listener.close(grace);
    log.info("SMTP server stopped");
  }

  // ---- the listener's session factory ----

  @Override
  public ListenerSession open(Connection connection) throws IOException {
    return new SmtpSession(context.get(), connection);
  }

  @Override
  public byte[] refusal(Limit limit) {
    return switch (limit) {
      case MAX_CONNECTIONS -> Replies.TOO_MANY_CONNECTIONS.toBytes();
      case MAX_CONNECTIONS_PER_IP -> Replies.TOO_MANY_CONNECTIONS_FROM_ADDRESS.toBytes();
    };
  }

  /** A client that has not read a reply for a whole command timeout is taken for gone. */
  @Override
  public Duration writeStallLimit() {
    return settings().limits().commandTimeout();
  }
}
