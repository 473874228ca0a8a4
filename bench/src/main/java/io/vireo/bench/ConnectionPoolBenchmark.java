package io.vireo.bench;

import io.vireo.relay.delivery.smtp.ClientTimeouts;
import io.vireo.relay.delivery.smtp.ConnectionPool;
import io.vireo.relay.delivery.smtp.PoolKey;
import io.vireo.relay.delivery.smtp.PoolLimits;
import io.vireo.relay.delivery.smtp.SmtpClientConnection;
import io.vireo.relay.delivery.smtp.SmtpClientException;
import io.vireo.relay.delivery.smtp.TlsPolicy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost the {@link ConnectionPool} adds to every message a delivery thread sends over a reused
 * connection: one {@code borrow} and one {@code release} of a connection that is already open (the
 * connect, greeting and EHLO are paid once in setup, against a minimal SMTP sink on 127.0.0.1 in
 * this process). Each benchmark thread owns a destination, as delivery threads working on different
 * domains do; {@code destinations} adds idle keys to the map so that lookups do not hit a one-entry
 * table. The figure includes the borrow-side {@link SmtpClientConnection#usable()} check for
 * unsolicited server bytes, one non-blocking system call ({@code FIONREAD}).
 *
 * <p>Run (from the repository root, JDK 25):
 *
 * <pre>
 * ./mvnw -q -B -o -pl bench -am package -DskipTests
 * JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
 * $JAVA -cp 'bench/target/vireo-bench.jar:bench/target/lib/*' org.openjdk.jmh.Main \
 *     ConnectionPoolBenchmark -t 2
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class ConnectionPoolBenchmark {
  private static final ClientTimeouts TIMEOUTS = ClientTimeouts.uniform(Duration.ofSeconds(10));

  /** Destinations with an idle connection besides the ones the threads use. */
  @Param({"1", "100"})
  public int destinations;

  private Sink sink;
  private ConnectionPool pool;
  private final AtomicInteger threadIndex = new AtomicInteger();

  @Setup(Level.Trial)
  public void start() throws IOException, SmtpClientException {
    sink = new Sink();
    pool =
        new ConnectionPool(
            new PoolLimits(4, Integer.MAX_VALUE, Duration.ofHours(1), Duration.ofMinutes(1)),
            SmtpClientConnection.opener("bench.vireo.test", null, TIMEOUTS),
            Clock.systemUTC());
    for (int i = 0; i < destinations; i++) {
      PoolKey key = sink.key("idle-" + i);
      pool.release(key, pool.acquire(key));
    }
  }

  @TearDown(Level.Trial)
  public void stop() throws IOException {
    pool.close();
    sink.close();
  }

  /** One delivery thread's destination, with its connection already in the pool. */
  @State(Scope.Thread)
  public static class Destination {
    PoolKey key;

    @Setup(Level.Trial)
    public void open(ConnectionPoolBenchmark shared) throws SmtpClientException {
      key = shared.sink.key("mx-" + shared.threadIndex.getAndIncrement());
      shared.pool.release(key, shared.pool.acquire(key));
    }
  }

  @Benchmark
  public SmtpClientConnection borrowAndRelease(Destination destination) {
    SmtpClientConnection connection =
        pool.borrow(destination.key).orElseThrow(() -> new IllegalStateException("pool miss"));
    pool.release(destination.key, connection);
    return connection;
  }

  /**
   * Just enough SMTP server to greet and answer EHLO and QUIT; one virtual thread per connection.
   */
  static final class Sink implements AutoCloseable {
    private final ServerSocket listener;

    Sink() throws IOException {
      listener = new ServerSocket();
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 500);
      Thread.ofVirtual().name("bench-sink-accept").start(this::accept);
    }

    PoolKey key(String name) {
      return new PoolKey(
          (InetSocketAddress) listener.getLocalSocketAddress(), name, TlsPolicy.NONE);
    }

    private void accept() {
      while (!listener.isClosed()) {
        try {
          Socket socket = listener.accept();
          Thread.ofVirtual().name("bench-sink-session").start(() -> serve(socket));
        } catch (IOException e) {
          return;
        }
      }
    }

    private static void serve(Socket socket) {
      try (socket) {
        BufferedReader in =
            new BufferedReader(
                new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
        OutputStream out = socket.getOutputStream();
        out.write("220 sink ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
        // Bounded by the connection's life: the pool closes every connection at teardown.
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          String verb = line.length() >= 4 ? line.substring(0, 4).toUpperCase(Locale.ROOT) : line;
          String reply =
              switch (verb) {
                case "EHLO" -> "250-sink\r\n250 PIPELINING\r\n";
                case "QUIT" -> "221 bye\r\n";
                default -> "250 ok\r\n";
              };
          out.write(reply.getBytes(StandardCharsets.US_ASCII));
          if (verb.equals("QUIT")) {
            return;
          }
        }
      } catch (IOException e) {
        // The client went away.
      }
    }

    @Override
    public void close() throws IOException {
      listener.close();
    }
  }
}
