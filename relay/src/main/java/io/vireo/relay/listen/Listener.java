package io.vireo.relay.listen;

import io.vireo.relay.listen.ConnectionLimiter.Admission;
import io.vireo.relay.listen.ConnectionLimiter.Limit;
import io.vireo.relay.protocol.ProxyHeader;
import io.vireo.relay.protocol.ProxyHeaderException;
import io.vireo.relay.protocol.ProxyHeaderReader;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accept path every protocol shares (SMTP, SMTPS, POP3, POP3S, IMAP, IMAPS): binds its
 * endpoints, admits connections within the limits and runs each on a virtual thread of its own
 * with the session its {@link SessionFactory} opens; on close it drains.
 *
 * <p>One platform thread per endpoint accepts. A connection permit ({@link ConnectionLimiter}) is
 * taken before the session thread is started; a connection beyond {@code limits.max-connections}
 * (or {@code max-connections-per-ip}) gets the protocol's refusal from the accept thread and is
 * closed without ever getting a thread. A connection from a load balancer in {@link ProxyTrust}
 * first has its PROXY protocol header read on a virtual thread of its own, so the limits count the
 * client it names. A watchdog ends sessions whose writes stay blocked past the protocol's limit (a
 * client that stopped reading), since a socket write has no timeout of its own.
 */
public final class Listener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Listener.class);
  private static final Duration FORCED_STOP_WAIT = Duration.ofSeconds(5);
  private static final Duration ACCEPT_THREAD_JOIN = Duration.ofSeconds(5);
  private static final Duration ACCEPT_FAILURE_PAUSE = Duration.ofMillis(100);
  private static final int BACKLOG = 1024;

  private enum State {
    NEW,
    RUNNING,
    CLOSED
  }

  /** A running session and the connection it owns, for drain and the write watchdog. */
  private record Running(ListenerSession session, Transport transport, String name) {}

  private final String protocol;
  private final List<Endpoint> endpoints;
  private final SessionFactory sessions;
  private final Supplier<ProxyTrust> proxy;
  private final ConnectionLimiter limiter;
  private final Set<Running> running = ConcurrentHashMap.newKeySet();
  private final AtomicLong sessionCounter = new AtomicLong();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition sessionEnded = lock.newCondition();
  private final Map<ServerSocket, Endpoint> bound = new IdentityHashMap<>(); // guarded by lock
  private final List<ServerSocket> sockets = new ArrayList<>(); // guarded by lock, in order
  // Balancer connections whose PROXY header is still being read: closed by close(), not sessions.
  private final Set<Socket> awaitingHeader = ConcurrentHashMap.newKeySet();
  private final List<Thread> acceptThreads = new ArrayList<>();
  private volatile State state = State.NEW;
  private Thread watchdog;
  private final LongAdder accepted = new LongAdder();
  private final LongAdder refusedTotal = new LongAdder();
  private final LongAdder refusedPerAddress = new LongAdder();

  /**
   * @param protocol names the protocol in log lines and thread names ({@code SMTP}, {@code POP3})
   * @param proxy the trusted load balancers, read per connection (a reload may change them)
   * @param maxConnections {@code limits.max-connections}, for this listener's sessions
   * @param maxConnectionsPerIp {@code limits.max-connections-per-ip}
   */
  public Listener(
      String protocol,
      List<Endpoint> endpoints,
      SessionFactory sessions,
      Supplier<ProxyTrust> proxy,
      int maxConnections,
      int maxConnectionsPerIp) {
    this.protocol = Objects.requireNonNull(protocol, "protocol");
    this.endpoints = List.copyOf(endpoints);
    this.sessions = Objects.requireNonNull(sessions, "sessions");
    this.proxy = Objects.requireNonNull(proxy, "proxy");
    this.limiter = new ConnectionLimiter(maxConnections, maxConnectionsPerIp);
  }

  /** New connection limits for the admissions from now on (a reload). */
  public void setLimits(int maxConnections, int maxConnectionsPerIp) {
    limiter.setLimits(maxConnections, maxConnectionsPerIp);
  }

  /** Binds every endpoint and starts accepting; if any bind fails, none stays bound. */
  public void start() throws IOException {
    lock.lock();
    try {
      if (state != State.NEW) {
        throw new IllegalStateException(protocol + " listener already started or closed");
      }
      try {
        for (Endpoint endpoint : endpoints) {
          ServerSocket socket = new ServerSocket();
          sockets.add(socket);
          bound.put(socket, endpoint);
          socket.setReuseAddress(true);
          socket.bind(endpoint.address(), BACKLOG);
        }
      } catch (IOException e) {
        sockets.forEach(Listener::closeQuietly);
        sockets.clear();
        bound.clear();
        state = State.CLOSED;
        throw e;
      }
      for (ServerSocket socket : sockets) {
        Endpoint endpoint = bound.get(socket);
        acceptThreads.add(
            Thread.ofPlatform()
                .name(endpoint.label() + "-accept-" + socket.getLocalSocketAddress())
                .daemon(true)
                .unstarted(() -> acceptLoop(socket, endpoint)));
      }
      watchdog =
          Thread.ofVirtual()
              .name(protocol.toLowerCase(java.util.Locale.ROOT) + "-write-watchdog")
              .unstarted(this::watchWrites);
      state = State.RUNNING;
      acceptThreads.forEach(Thread::start);
      watchdog.start();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The addresses actually bound for endpoints with this TLS mode, with the real port when port 0
   * was asked for, in the order of the endpoints.
   */
  public List<InetSocketAddress> boundAddresses(boolean implicitTls) {
    lock.lock();
    try {
      return sockets.stream()
          .filter(s -> bound.get(s).implicitTls() == implicitTls)
          .map(s -> (InetSocketAddress) s.getLocalSocketAddress())
          .toList();
    } finally {
      lock.unlock();
    }
  }

  /** What the listener has done so far and whether it accepts now. */
  public ConnectionStats stats() {
    boolean accepting;
    lock.lock();
    try {
      accepting = state == State.RUNNING && sockets.stream().noneMatch(ServerSocket::isClosed);
    } finally {
      lock.unlock();
    }
    return new ConnectionStats(
        accepting,
        running.size(),
        accepted.sum(),
        refusedTotal.sum(),
        refusedPerAddress.sum());
  }

  /** Sessions currently running. */
  public int activeSessions() {
    return running.size();
  }

  /** Connections from {@code client} holding a permit now. */
  public int connectionsFrom(InetAddress client) {
    return limiter.connectionsFrom(client);
  }

  /** As {@link #close(Duration)} with a 30 s grace. */
  @Override
  public void close() {
    close(Duration.ofSeconds(30));
  }

  /**
   * Drains: stops accepting, asks every session to stop (idle ones end at once), waits up to
   * {@code grace} for the busy ones, then closes whatever is left.
   */
  public void close(Duration grace) {
    lock.lock();
    try {
      if (state == State.CLOSED) {
        return;
      }
      boolean started = state == State.RUNNING;
      state = State.CLOSED;
      sockets.forEach(Listener::closeQuietly);
      if (!started) {
        return;
      }
    } finally {
      lock.unlock();
    }
    for (Thread acceptor : acceptThreads) {
      joinQuietly(acceptor, ACCEPT_THREAD_JOIN);
    }
    awaitingHeader.forEach(Listener::closeQuietly);
    running.forEach(r -> r.session().requestStop());
    if (!awaitNoSessions(grace)) {
      log.warn("{} {} sessions still busy after {}; closing them", running.size(), protocol, grace);
      running.forEach(r -> r.session().abort());
      if (!awaitNoSessions(FORCED_STOP_WAIT)) {
        log.warn("{} {} sessions did not end", running.size(), protocol);
      }
    }
    if (watchdog != null) {
      watchdog.interrupt();
      joinQuietly(watchdog, ACCEPT_THREAD_JOIN);
    }
  }

  // ---- accepting ----

  private void acceptLoop(ServerSocket serverSocket, Endpoint endpoint) {
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
      handOff(socket, endpoint);
    }
  }

  private void handOff(Socket socket, Endpoint endpoint) {
    if (state != State.RUNNING) {
      closeQuietly(socket);
      return;
    }
    ProxyTrust trust = proxy.get();
    if (trust.trusts(socket.getInetAddress())) {
      startProxied(socket, endpoint, trust.headerTimeout());
      return;
    }
    admit(socket, socket.getInetAddress(), endpoint);
  }

  /** Admits the connection of {@code client} within the limits, or refuses it. */
  private void admit(Socket socket, InetAddress client, Endpoint endpoint) {
    switch (limiter.tryAdmit(client)) {
      // A plaintext reply means nothing to a client expecting a TLS handshake: just close.
      case Admission.Refused(Limit limit) when endpoint.implicitTls() -> {
        countRefusal(limit);
        closeQuietly(socket);
      }
      case Admission.Refused(Limit limit) -> {
        countRefusal(limit);
        refuse(socket, client, limit);
      }
      case Admission.Admitted(ConnectionLimiter.Permit permit) -> {
        accepted.increment();
        startSession(socket, client, endpoint, permit);
      }
    }
  }

  /**
   * A connection from a load balancer: reads its PROXY protocol header on a virtual thread of its
   * own (the accept thread never waits for a peer), then admits the real client it names, so the
   * per-address limits count clients, not the balancer.
   */
  private void startProxied(Socket socket, Endpoint endpoint, Duration timeout) {
    String peer = socket.getInetAddress().getHostAddress();
    awaitingHeader.add(socket);
    try {
      Thread.ofVirtual()
          .name("proxy-header-" + peer + "-" + sessionCounter.incrementAndGet())
          .start(
              () -> {
                Optional<InetAddress> client = readProxyHeader(socket, peer, timeout);
                awaitingHeader.remove(socket);
                if (client.isEmpty() || state != State.RUNNING) {
                  closeQuietly(socket);
                  return;
                }
                admit(socket, client.get(), endpoint);
              });
    } catch (RuntimeException e) {
      log.error("no thread for a connection from {}", peer, e);
      awaitingHeader.remove(socket);
      closeQuietly(socket);
    }
  }

  /** The client the header names (the balancer itself for LOCAL or UNKNOWN); empty if refused. */
  private Optional<InetAddress> readProxyHeader(Socket socket, String peer, Duration timeout) {
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
      Socket socket, InetAddress client, Endpoint endpoint, ConnectionLimiter.Permit permit) {
    String name =
        endpoint.label() + "-" + client.getHostAddress() + "-" + sessionCounter.incrementAndGet();
    if (!client.equals(socket.getInetAddress())) {
      log.debug("{} relayed by {}", name, socket.getInetAddress().getHostAddress());
    }
    Running session;
    try {
      Transport transport = new Transport(socket);
      session =
          new Running(
              sessions.open(new Connection(transport, client, name, endpoint.implicitTls())),
              transport,
              name);
    } catch (IOException | RuntimeException e) {
      log.debug("{} could not be set up: {}", name, e.toString());
      permit.close();
      closeQuietly(socket);
      return;
    }
    running.add(session);
    try {
      Thread.ofVirtual()
          .name(name)
          .start(
              () -> {
                try {
                  session.session().run();
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

  private void countRefusal(Limit limit) {
    (limit == Limit.MAX_CONNECTIONS_PER_IP ? refusedPerAddress : refusedTotal).increment();
  }

  /**
   * Answers a connection over a limit from the accept thread. The refusal is a few dozen octets to
   * a fresh socket, which fit its empty send buffer, so this cannot block.
   */
  private void refuse(Socket socket, InetAddress client, Limit limit) {
    log.debug("refused {} connection from {}: {}", protocol, client.getHostAddress(), limit);
    try (socket) {
      OutputStream out = socket.getOutputStream();
      out.write(sessions.refusal(limit));
      out.flush();
      socket.shutdownOutput();
    } catch (IOException e) {
      log.trace("refusal not delivered: {}", e.toString());
    }
  }

  // ---- sessions ----

  private void sessionDone(Running session) {
    lock.lock();
    try {
      running.remove(session);
      sessionEnded.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private boolean awaitNoSessions(Duration timeout) {
    long remaining = timeout.toNanos();
    lock.lock();
    try {
      while (!running.isEmpty()) {
        if (remaining <= 0) {
          return false;
        }
        remaining = sessionEnded.awaitNanos(remaining);
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return running.isEmpty();
    } finally {
      lock.unlock();
    }
  }

  /** Ends sessions stuck writing to a client that does not read; checks a few times per limit. */
  private void watchWrites() {
    while (state != State.CLOSED) {
      long limit = sessions.writeStallLimit().toNanos();
      long period =
          Math.clamp(limit / 4, TimeUnit.MILLISECONDS.toNanos(50), TimeUnit.SECONDS.toNanos(5));
      try {
        TimeUnit.NANOSECONDS.sleep(period);
      } catch (InterruptedException e) {
        return;
      }
      long now = System.nanoTime();
      for (Running session : running) {
        if (session.transport().isWriteStalled(now, limit)) {
          log.debug("{} client stopped reading; closing", session.name());
          session.session().abort();
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
