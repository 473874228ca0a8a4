package io.vireo.relay.server;

import io.vireo.config.NulPolicy;
import io.vireo.queue.Envelope;
import io.vireo.queue.MessageContent;
import io.vireo.queue.MessageIdGenerator;
import io.vireo.queue.Spool;
import io.vireo.relay.local.LocalDelivery;
import io.vireo.relay.intake.ContentPolicy;
import io.vireo.relay.intake.MessageIntake;
import io.vireo.relay.protocol.NulOctets;
import io.vireo.relay.protocol.ProxyHeader;
import io.vireo.relay.protocol.ProxyHeaderException;
import io.vireo.relay.protocol.ProxyHeaderReader;
import io.vireo.relay.protocol.Replies;
import io.vireo.relay.protocol.SmtpReply;
import io.vireo.relay.server.ConnectionLimiter.Admission;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SMTP listener of the accept path: binds the configured addresses, admits connections within
 * the limits and serves each on its own virtual thread with an {@link SmtpSession}, which hands
 * accepted messages to the {@link Spool}.
 *
 * <p>One platform thread per listen address accepts. A connection permit is taken before the
 * session thread is started; a connection beyond {@code maxConnections} (or {@code
 * maxConnectionsPerIp}) gets a 421 from the accept thread and is closed without ever getting a
 * thread. A watchdog ends sessions whose reply writes stay blocked longer than the command timeout
 * (a client that stopped reading), since a socket write has no timeout of its own.
 */
public final class SmtpServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SmtpServer.class);
  private static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);
  private static final Duration FORCED_STOP_WAIT = Duration.ofSeconds(5);
  private static final Duration ACCEPT_THREAD_JOIN = Duration.ofSeconds(5);
  private static final Duration ACCEPT_FAILURE_PAUSE = Duration.ofMillis(100);
  private static final int BACKLOG = 1024;

  private enum State {
    NEW,
    RUNNING,
    CLOSED
  }

  // Swapped whole by a reload; each session reads it once, when it starts, so a session runs to
  // its end under one consistent set of settings and policies.
  private final AtomicReference<SessionContext> context;
  private final ConnectionLimiter limiter;
  private final LocalDelivery local;
  private final Set<SmtpSession> sessions = ConcurrentHashMap.newKeySet();
  private final AtomicLong sessionCounter = new AtomicLong();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition sessionEnded = lock.newCondition();
  private final List<ServerSocket> serverSockets = new ArrayList<>();
  private final Set<ServerSocket> implicitTlsSockets = ConcurrentHashMap.newKeySet();
  // Balancer connections whose PROXY header is still being read: closed by close(), not sessions.
  private final Set<Socket> awaitingHeader = ConcurrentHashMap.newKeySet();
  private final List<Thread> acceptThreads = new ArrayList<>();
  private volatile State state = State.NEW;
  private Thread watchdog;
  // Counted here rather than in the session, so the session's code stays free of metrics.
  private final LongAdder accepted = new LongAdder();
  private final LongAdder refusedTotal = new LongAdder();
  private final LongAdder refusedPerAddress = new LongAdder();
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
                local));
    this.limiter =
        new ConnectionLimiter(
            settings.limits().maxConnections(), settings.limits().maxConnectionsPerIp());
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
      LocalDelivery local) {
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
        new SenderQuotas(settings.limits().senders(), clock),
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
            local));
    limiter.setLimits(
        settings.limits().maxConnections(), settings.limits().maxConnectionsPerIp());
  }

  private ServerSettings settings() {
    return context.get().settings();
  }

  private void count(Envelope envelope) {
    messages.increment();
    recipients.add(envelope.recipients().size());
  }

  /** Binds every listen address and starts accepting; if any bind fails, none stays bound. */
  public void start() throws IOException {
    lock.lock();
    try {
      if (state != State.NEW) {
        throw new IllegalStateException("server already started or closed");
      }
      try {
        for (InetSocketAddress address : settings().listen()) {
          bind(address);
        }
        for (InetSocketAddress address : settings().listenImplicitTls()) {
          implicitTlsSockets.add(bind(address));
        }
      } catch (IOException e) {
        serverSockets.forEach(SmtpServer::closeQuietly);
        serverSockets.clear();
        implicitTlsSockets.clear();
        state = State.CLOSED;
        throw e;
      }
      for (ServerSocket serverSocket : serverSockets) {
        Thread acceptor =
            Thread.ofPlatform()
                .name("smtp-accept-" + serverSocket.getLocalSocketAddress())
                .daemon(true)
                .unstarted(() -> acceptLoop(serverSocket));
        acceptThreads.add(acceptor);
      }
      watchdog = Thread.ofVirtual().name("smtp-write-watchdog").unstarted(this::watchWrites);
      state = State.RUNNING;
      acceptThreads.forEach(Thread::start);
      watchdog.start();
      log.info(
          "SMTP listening on {} (implicit TLS on {}) as {}",
          boundAddresses(),
          boundImplicitTlsAddresses(),
          settings().hostname());
    } finally {
      lock.unlock();
    }
  }

  /**
   * The plain SMTP addresses actually bound, with the real port when port 0 was asked for; in the
   * order of {@link ServerSettings#listen()}.
   */
  public List<InetSocketAddress> boundAddresses() {
    return bound(false);
  }

  /** The implicit-TLS addresses actually bound, in the order of the settings. */
  public List<InetSocketAddress> boundImplicitTlsAddresses() {
    return bound(true);
  }

  private List<InetSocketAddress> bound(boolean implicitTls) {
    lock.lock();
    try {
      return serverSockets.stream()
          .filter(s -> implicitTlsSockets.contains(s) == implicitTls)
          .map(s -> (InetSocketAddress) s.getLocalSocketAddress())
          .toList();
    } finally {
      lock.unlock();
    }
  }

  private ServerSocket bind(InetSocketAddress address) throws IOException {
    ServerSocket serverSocket = new ServerSocket();
    serverSockets.add(serverSocket);
    serverSocket.setReuseAddress(true);
    serverSocket.bind(address, BACKLOG);
    return serverSocket;
  }

  /** What the listener has done so far and whether it accepts now. */
  public ListenerStats stats() {
    boolean accepting;
    lock.lock();
    try {
      accepting =
          state == State.RUNNING && serverSockets.stream().noneMatch(ServerSocket::isClosed);
    } finally {
      lock.unlock();
    }
    return new ListenerStats(
        accepting,
        sessions.size(),
        accepted.sum(),
        refusedTotal.sum(),
        refusedPerAddress.sum(),
        messages.sum(),
        recipients.sum());
  }

  /** Sessions currently running. */
  public int activeSessions() {
    return sessions.size();
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
    lock.lock();
    try {
      if (state == State.CLOSED) {
        return;
      }
      state = State.CLOSED;
      serverSockets.forEach(SmtpServer::closeQuietly);
    } finally {
      lock.unlock();
    }
    for (Thread acceptor : acceptThreads) {
      joinQuietly(acceptor, ACCEPT_THREAD_JOIN);
    }
    awaitingHeader.forEach(SmtpServer::closeQuietly);
    sessions.forEach(SmtpSession::requestStop);
    if (!awaitNoSessions(grace)) {
      log.warn("{} SMTP sessions still busy after {}; closing them", sessions.size(), grace);
      sessions.forEach(SmtpSession::abort);
      if (!awaitNoSessions(FORCED_STOP_WAIT)) {
        log.warn("{} SMTP sessions did not end", sessions.size());
      }
    }
    if (watchdog != null) {
      watchdog.interrupt();
      joinQuietly(watchdog, ACCEPT_THREAD_JOIN);
    }
    log.info("SMTP server stopped");
  }

  // ---- accepting ----

  private void acceptLoop(ServerSocket serverSocket) {
    while (state == State.RUNNING) {
      Socket socket;
      try {
        socket = serverSocket.accept();
      } catch (IOException e) {
        if (state != State.RUNNING || serverSocket.isClosed()) {
          return;
        }
        // Typically out of file descriptors; pausing avoids a busy loop while it lasts.
        log.warn("accept failed on {}: {}", serverSocket.getLocalSocketAddress(), e.toString());
        try {
          Thread.sleep(ACCEPT_FAILURE_PAUSE);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
        continue;
      }
      handOff(socket, implicitTlsSockets.contains(serverSocket));
    }
  }

  private void handOff(Socket socket, boolean implicitTls) {
    if (state != State.RUNNING) {
      closeQuietly(socket);
      return;
    }
    if (settings().proxy().trusts(socket.getInetAddress())) {
      startProxied(socket, implicitTls);
      return;
    }
    admit(socket, socket.getInetAddress(), implicitTls);
  }

  /** Admits the connection of {@code client} within the limits, or refuses it. */
  private void admit(Socket socket, InetAddress client, boolean implicitTls) {
    switch (limiter.tryAdmit(client)) {
      // A plaintext reply means nothing to a client expecting a TLS handshake: just close.
      case Admission.Refused(SmtpReply reply) when implicitTls -> {
        countRefusal(reply);
        closeQuietly(socket);
      }
      case Admission.Refused(SmtpReply reply) -> {
        countRefusal(reply);
        refuse(socket, client, reply);
      }
      case Admission.Admitted(ConnectionLimiter.Permit permit) -> {
        accepted.increment();
        startSession(socket, client, implicitTls, permit);
      }
    }
  }

  /**
   * A connection from a load balancer: reads its PROXY protocol header on a virtual thread of its
   * own (the accept thread never waits for a peer), then admits the real client it names, so the
   * per-address limits count clients, not the balancer.
   */
  private void startProxied(Socket socket, boolean implicitTls) {
    String peer = socket.getInetAddress().getHostAddress();
    awaitingHeader.add(socket);
    try {
      Thread.ofVirtual()
          .name("proxy-header-" + peer + "-" + sessionCounter.incrementAndGet())
          .start(
              () -> {
                Optional<InetAddress> client = readProxyHeader(socket, peer);
                awaitingHeader.remove(socket);
                if (client.isEmpty() || state != State.RUNNING) {
                  closeQuietly(socket);
                  return;
                }
                admit(socket, client.get(), implicitTls);
              });
    } catch (RuntimeException e) {
      log.error("no thread for a connection from {}", peer, e);
      awaitingHeader.remove(socket);
      closeQuietly(socket);
    }
  }

  /** The client the header names (the balancer itself for LOCAL or UNKNOWN); empty if refused. */
  private Optional<InetAddress> readProxyHeader(Socket socket, String peer) {
    Duration timeout = settings().proxy().headerTimeout();
    try {
      socket.setSoTimeout((int) Math.clamp(timeout.toMillis(), 1L, Integer.MAX_VALUE));
      ProxyHeader header = ProxyHeaderReader.read(socket.getInputStream());
      socket.setSoTimeout(0);
      return Optional.of(
          switch (header) {
            case ProxyHeader.Relayed relayed -> relayed.source().getAddress();
            case ProxyHeader.Unrelayed unrelayed -> socket.getInetAddress();
          });
    } catch (ProxyHeaderException e) {
      if (e.getMessage().startsWith(ProxyHeaderReader.CLOSED_BEFORE_HEADER)) {
        // A bare TCP connect and close: a port probe, not worth a warning at every check.
        log.debug("connection from {} closed before its PROXY protocol header", peer);
        return Optional.empty();
      }
      log.warn("refused connection from {}: bad PROXY protocol header: {}", peer, e.getMessage());
    } catch (SocketTimeoutException e) {
      log.warn("refused connection from {}: no PROXY protocol header within {}", peer, timeout);
    } catch (IOException e) {
      if (state == State.RUNNING) {
        log.warn("refused connection from {}: PROXY protocol header unread: {}", peer, e.toString());
      }
    }
    return Optional.empty();
  }

  private void startSession(
      Socket socket, InetAddress client, boolean implicitTls, ConnectionLimiter.Permit permit) {
    String name =
        (implicitTls ? "smtps-" : "smtp-")
            + client.getHostAddress()
            + "-"
            + sessionCounter.incrementAndGet();
    if (!client.equals(socket.getInetAddress())) {
      log.debug("{} relayed by {}", name, socket.getInetAddress().getHostAddress());
    }
    SmtpSession session;
    try {
      session = new SmtpSession(context.get(), socket, client, name, implicitTls);
    } catch (IOException e) {
      log.debug("{} could not be set up: {}", name, e.toString());
      permit.close();
      closeQuietly(socket);
      return;
    }
    sessions.add(session);
    try {
      Thread.ofVirtual()
          .name(name)
          .start(
              () -> {
                try {
                  session.run();
                } finally {
                  permit.close();
                  sessionDone(session);
                }
              });
    } catch (RuntimeException e) {
      log.error("{} could not start a thread", name, e);
      sessionDone(session);
      permit.close();
      closeQuietly(socket);
    }
  }

  /**
   * Answers a connection over a limit from the accept thread. The reply is a few dozen octets to a
   * fresh socket, which fit its empty send buffer, so this cannot block.
   */
  private void countRefusal(SmtpReply reply) {
    (reply == Replies.TOO_MANY_CONNECTIONS_FROM_ADDRESS ? refusedPerAddress : refusedTotal)
        .increment();
  }

  private static void refuse(Socket socket, InetAddress client, SmtpReply reply) {
    log.debug("refused connection from {}: {}", client.getHostAddress(), reply);
    try (socket) {
      OutputStream out = socket.getOutputStream();
      out.write(reply.toBytes());
      out.flush();
      socket.shutdownOutput();
    } catch (IOException e) {
      log.trace("refusal not delivered: {}", e.toString());
    }
  }

  // ---- sessions ----

  private void sessionDone(SmtpSession session) {
    lock.lock();
    try {
      sessions.remove(session);
      sessionEnded.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private boolean awaitNoSessions(Duration timeout) {
    long remaining = timeout.toNanos();
    lock.lock();
    try {
      while (!sessions.isEmpty()) {
        if (remaining <= 0) {
          return false;
        }
        remaining = sessionEnded.awaitNanos(remaining);
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return sessions.isEmpty();
    } finally {
      lock.unlock();
    }
  }

  /** Ends sessions stuck writing to a client that does not read; checks a few times per timeout. */
  private void watchWrites() {
    while (state != State.CLOSED) {
      long limit = settings().limits().commandTimeout().toNanos();
      long period =
          Math.clamp(limit / 4, TimeUnit.MILLISECONDS.toNanos(50), TimeUnit.SECONDS.toNanos(5));
      try {
        TimeUnit.NANOSECONDS.sleep(period);
      } catch (InterruptedException e) {
        return;
      }
      long now = System.nanoTime();
      for (SmtpSession session : sessions) {
        if (session.isWriteStalled(now, limit)) {
          log.debug("{} client stopped reading replies; closing", session.name());
          session.abort();
        }
      }
    }
  }

  private static void joinQuietly(Thread thread, Duration timeout) {
    try {
      if (!thread.join(timeout)) {
        log.warn("{} did not stop within {}", thread.getName(), timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      log.trace("close failed: {}", e.toString());
    }
  }
}
