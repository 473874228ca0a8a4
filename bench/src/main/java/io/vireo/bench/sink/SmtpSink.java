package io.vireo.bench.sink;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fast SMTP server that accepts every message and only counts it, in the spirit of Postfix's
 * smtp-sink: the far end of a load test, and the yardstick for what a client can push through
 * loopback. One virtual thread per connection; the accept loop takes a connection permit first, so at
 * most {@link SinkOptions#maxConnections()} sessions run at once.
 *
 * <p>Usage: {@code try (SmtpSink sink = new SmtpSink(options).start()) { ... sink.awaitMessages(n,
 * timeout) ... }}.
 */
public final class SmtpSink implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SmtpSink.class);
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);
  private static final Duration ACCEPT_ERROR_PAUSE = Duration.ofMillis(10);

  private final SinkOptions options;
  private final SinkCounters counters;
  private final SinkReplies.HostReplies hostReplies;
  private final Semaphore connectionPermits;
  private final Map<Socket, Thread> sessions = new ConcurrentHashMap<>();
  private final AtomicLong sessionIds = new AtomicLong();
  private ServerSocket serverSocket;
  private Thread acceptThread;
  private volatile boolean closed;

  public SmtpSink(SinkOptions options) {
    this(options, System::nanoTime);
  }

  /** A sink whose first/last message times come from {@code nanoTicker} (as {@link System#nanoTime}). */
  public SmtpSink(SinkOptions options, LongSupplier nanoTicker) {
    this.options = options;
    this.counters = new SinkCounters(nanoTicker);
    this.hostReplies = SinkReplies.HostReplies.of(options);
    this.connectionPermits = new Semaphore(options.maxConnections());
  }

  /** Binds the listen address and starts accepting connections; returns this sink. */
  public synchronized SmtpSink start() throws IOException {
    if (serverSocket != null) {
      throw new IllegalStateException("sink already started");
    }
    ServerSocket server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(options.listen(), 4096);
    serverSocket = server;
    acceptThread = Thread.ofVirtual().name("sink-accept").start(this::acceptLoop);
    return this;
  }

  /** The port the sink listens on (the real one when the options asked for port 0). */
  public int port() {
    return serverSocket().getLocalPort();
  }

  /** The address the sink listens on. */
  public InetSocketAddress address() {
    return (InetSocketAddress) serverSocket().getLocalSocketAddress();
  }

  /** Messages accepted so far. */
  public long messages() {
    return counters.messages();
  }

  /** Recipients of the messages accepted so far. */
  public long recipients() {
    return counters.recipients();
  }

  /** Connections accepted since start. */
  public long connections() {
    return counters.connectionsOpened();
  }

  /** All counters at once. */
  public SinkSnapshot snapshot() {
    return counters.snapshot();
  }

  /** Mean and maximum number of messages per closed connection, as "mean/max" ("n/a" before any). */
  public String messagesPerConnection() {
    return counters.messagesPerConnectionSummary();
  }

  /** Waits until at least {@code count} messages were accepted; false if {@code timeout} passed first. */
  public boolean awaitMessages(long count, Duration timeout) throws InterruptedException {
    return counters.awaitMessages(count, timeout);
  }

  /** The last message accepted, if {@link SinkOptions#retainLastMessage()} is on and one arrived. */
  public Optional<ReceivedMessage> lastMessage() {
    return Optional.ofNullable(counters.lastMessage());
  }

  /** Stops accepting, closes every open session and waits (boundedly) for their threads to end. */
  @Override
  public void close() {
    closed = true;
    ServerSocket server;
    synchronized (this) {
      server = serverSocket;
    }
    if (server == null) {
      return;
    }
    closeQuietly(server);
    acceptThread.interrupt();
    sessions.keySet().forEach(SmtpSink::closeQuietly);
    long deadline = System.nanoTime() + SHUTDOWN_GRACE.toNanos();
    try {
      acceptThread.join(SHUTDOWN_GRACE);
      for (Thread session : sessions.values()) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !session.join(Duration.ofNanos(left))) {
          log.warn("sink session {} did not end within {}", session.getName(), SHUTDOWN_GRACE);
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        connectionPermits.acquire();
      } catch (InterruptedException e) {
        return; // close() interrupts the loop
      }
      Socket socket;
      try {
        socket = serverSocket.accept();
      } catch (IOException e) {
        connectionPermits.release();
        if (closed) {
          return;
        }
        log.warn("accept failed: {}", e.toString());
        if (!pauseAfterAcceptError()) {
          return;
        }
        continue;
      }
      startSession(socket);
    }
  }

  private void startSession(Socket socket) {
    SinkSession session = new SinkSession(socket, options, hostReplies, counters);
    Thread thread =
        Thread.ofVirtual()
            .name("sink-session-" + sessionIds.incrementAndGet())
            .unstarted(
                () -> {
                  try {
                    session.run();
                  } finally {
                    sessions.remove(socket);
                    connectionPermits.release();
                  }
                });
    sessions.put(socket, thread);
    if (closed) {
      closeQuietly(socket);
    }
    thread.start();
  }

  /** Backs off briefly (e.g. when out of file descriptors) so a failing accept does not spin. */
  private static boolean pauseAfterAcceptError() {
    try {
      TimeUnit.NANOSECONDS.sleep(ACCEPT_ERROR_PAUSE.toNanos());
      return true;
    } catch (InterruptedException e) {
      return false;
    }
  }

  private synchronized ServerSocket serverSocket() {
    if (serverSocket == null) {
      throw new IllegalStateException("sink not started");
    }
    return serverSocket;
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      log.trace("close failed: {}", e.toString());
    }
  }
}
