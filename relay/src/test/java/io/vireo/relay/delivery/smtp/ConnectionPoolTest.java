package io.vireo.relay.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.queue.testing.ManualClock;
import io.vireo.relay.testing.ScriptedSmtpServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ConnectionPoolTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration IDLE = Duration.ofSeconds(30);
  private static final ClientTimeouts TIMEOUTS = ClientTimeouts.uniform(Duration.ofSeconds(10));
  private static final byte[] HELLO =
      "Subject: pool\r\n\r\nhi\r\n".getBytes(StandardCharsets.US_ASCII);

  private final ManualClock clock = new ManualClock();
  private ScriptedSmtpServer server;
  private PoolKey key;
  private ConnectionPool pool;

  @BeforeEach
  void start() throws IOException {
    server = new ScriptedSmtpServer("127.0.0.3").hostname("mx1.example.test");
    key = new PoolKey(server.address(), "mx1.example.test", TlsPolicy.NONE);
  }

  @AfterEach
  void stop() throws IOException {
    if (pool != null) {
      pool.close();
    }
    server.close();
  }

  private ConnectionPool pool(int maxIdle, int maxMessages, Duration sweepInterval) {
    pool =
        new ConnectionPool(
            new PoolLimits(maxIdle, maxMessages, IDLE, sweepInterval),
            SmtpClientConnection.opener("relay.vireo.test", null, TIMEOUTS),
            clock);
    return pool;
  }

  private ConnectionPool pool() {
    return pool(4, 100, Duration.ofMinutes(10));
  }

  private static OutboundMessage hello() {
    return OutboundMessage.simple("s@vireo.test", List.of("a@example.test"), HELLO);
  }

  @Test
  void aReleasedConnectionIsReusedForTheNextMessage() throws Exception {
    ConnectionPool pool = pool();

    SmtpClientConnection first = pool.acquire(key);
    first.send(hello());
    pool.release(key, first);
    SmtpClientConnection second = pool.acquire(key);
    second.send(hello());
    pool.release(key, second);

    assertThat(second).isSameAs(first);
    assertThat(pool.opened()).isEqualTo(1);
    assertThat(pool.reused()).isEqualTo(1);
    assertThat(pool.idleCount(key)).isEqualTo(1);
    assertThat(server.awaitMessages(2, WAIT)).hasSize(2);
    assertThat(server.connectionCount()).isEqualTo(1);
  }

  @Test
  void borrowIsEmptyForAnUnknownKeyAndKeysDoNotShare() throws Exception {
    ConnectionPool pool = pool();
    PoolKey tls = new PoolKey(key.address(), key.serverName(), TlsPolicy.OPPORTUNISTIC);

    pool.release(key, pool.acquire(key));

    assertThat(pool.borrow(tls)).isEmpty();
    assertThat(pool.borrow(key)).isPresent();
  }

  @Test
  void aConnectionAuthenticatedAsOneUserIsNeverLentToAnotherOrToNone() throws Exception {
    server.withAuth("alice", "alice-secret");
    ConnectionPool pool = pool();
    PoolKey alice =
        new PoolKey(
            key.address(),
            key.serverName(),
            TlsPolicy.NONE,
            new SmtpCredentials("alice", "alice-secret"));
    PoolKey bob =
        new PoolKey(
            key.address(), key.serverName(), TlsPolicy.NONE, new SmtpCredentials("bob", "bob-pw"));

    SmtpClientConnection connection = pool.acquire(alice);
    assertThat(connection.authenticatedAs()).contains("alice");
    pool.release(alice, connection);

    assertThat(pool.borrow(bob)).isEmpty();
    assertThat(pool.borrow(key)).isEmpty();
    assertThat(pool.borrow(alice)).containsSame(connection);
  }

  @Test
  void borrowTakesTheMostRecentlyReleased() throws Exception {
    ConnectionPool pool = pool();
    SmtpClientConnection older = pool.acquire(key);
    SmtpClientConnection newer = pool.acquire(key);

    pool.release(key, older);
    clock.advance(Duration.ofSeconds(1));
    pool.release(key, newer);

    assertThat(pool.borrow(key)).containsSame(newer);
    assertThat(pool.borrow(key)).containsSame(older);
    assertThat(pool.borrow(key)).isEmpty();
  }

  @Test
  void aConnectionThatCarriedItsQuotaIsClosedOnRelease() throws Exception {
    ConnectionPool pool = pool(4, 2, Duration.ofMinutes(10));
    SmtpClientConnection connection = pool.acquire(key);
    connection.send(hello());
    pool.release(key, connection);
    connection = pool.acquire(key);
    connection.send(hello());

    pool.release(key, connection);

    assertThat(pool.idleCount(key)).isZero();
    server.awaitSessionsEnded(1, WAIT);
    assertThat(server.commands(1)).endsWith("QUIT");
    assertThat(pool.acquire(key)).isNotSameAs(connection);
    assertThat(pool.opened()).isEqualTo(2);
  }

  @Test
  void idleConnectionsBeyondTheLimitAreClosed() throws Exception {
    ConnectionPool pool = pool(1, 100, Duration.ofMinutes(10));
    SmtpClientConnection a = pool.acquire(key);
    SmtpClientConnection b = pool.acquire(key);

    pool.release(key, a);
    pool.release(key, b);

    assertThat(pool.idleCount(key)).isEqualTo(1);
    server.awaitSessionsEnded(1, WAIT);
    assertThat(b.usable()).isFalse();
    assertThat(pool.borrow(key)).containsSame(a);
  }

  @Test
  void idleConnectionsExpireByTheInjectedClock() throws Exception {
    ConnectionPool pool = pool();
    pool.release(key, pool.acquire(key));

    clock.advance(IDLE.minusSeconds(1));
    assertThat(pool.evictExpired()).isZero();
    clock.advance(Duration.ofSeconds(1));
    assertThat(pool.evictExpired()).isEqualTo(1);

    assertThat(pool.idleCount()).isZero();
    server.awaitSessionsEnded(1, WAIT);
    assertThat(server.commands(1)).endsWith("QUIT");
  }

  @Test
  void borrowDropsExpiredConnections() throws Exception {
    ConnectionPool pool = pool();
    SmtpClientConnection connection = pool.acquire(key);
    pool.release(key, connection);

    clock.advance(IDLE);

    assertThat(pool.borrow(key)).isEmpty();
    assertThat(connection.usable()).isFalse();
    server.awaitSessionsEnded(1, WAIT);
  }

  @Test
  void theSweeperClosesExpiredConnectionsByItself() throws Exception {
    ConnectionPool pool = pool(4, 100, Duration.ofMillis(20));
    pool.release(key, pool.acquire(key));

    clock.advance(IDLE);

    server.awaitSessionsEnded(1, WAIT);
    assertThat(pool.idleCount()).isZero();
  }

  @Test
  void aBrokenConnectionIsNotPooled() throws Exception {
    ConnectionPool pool = pool();
    server.dropConnectionDuringData(1);
    SmtpClientConnection connection = pool.acquire(key);
    byte[] large = "0123456789\r\n".repeat(100_000).getBytes(StandardCharsets.US_ASCII);
    assertThatThrownBy(
            () ->
                connection.send(
                    OutboundMessage.simple("s@vireo.test", List.of("a@example.test"), large)))
        .isInstanceOf(SmtpClientException.class);

    pool.release(key, connection);

    assertThat(pool.idleCount(key)).isZero();
    assertThat(pool.borrow(key)).isEmpty();
  }

  @Test
  void aConnectionTheServerGaveUpOnIsNotHandedOut() throws Exception {
    ConnectionPool pool = pool();
    pool.release(key, pool.acquire(key));

    server.disconnectAll("421 4.4.2 Idle timeout");
    server.awaitSessionsEnded(1, WAIT);

    assertThat(pool.borrow(key)).isEmpty();
    assertThat(pool.reused()).isZero();
  }

  @Test
  void closeClosesEveryIdleConnection() throws Exception {
    ConnectionPool pool = pool();
    PoolKey other = new PoolKey(key.address(), "mx1.example.test", TlsPolicy.OPPORTUNISTIC);
    pool.release(key, pool.acquire(key));
    pool.release(other, pool.acquire(other));

    pool.close();

    server.awaitSessionsEnded(2, WAIT);
    assertThat(server.commands(1)).endsWith("QUIT");
    assertThat(server.commands(2)).endsWith("QUIT");
    assertThatThrownBy(() -> pool.borrow(key)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aConnectionReleasedAfterCloseIsClosed() throws Exception {
    ConnectionPool pool = pool();
    SmtpClientConnection connection = pool.acquire(key);
    pool.close();

    pool.release(key, connection);

    assertThat(connection.usable()).isFalse();
    server.awaitSessionsEnded(1, WAIT);
  }

  @Test
  void concurrentCallersShareConnectionsSafely() throws Exception {
    int threads = 8;
    // Room for every caller's connection, so none is discarded and at most one opens per caller;
    // the
    // sweeper runs all along.
    ConnectionPool pool = pool(threads, 1_000, Duration.ofMillis(5));
    int messagesEach = 25;
    List<Future<Integer>> results = new ArrayList<>();

    try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int t = 0; t < threads; t++) {
        results.add(
            callers.submit(
                () -> {
                  int delivered = 0;
                  for (int i = 0; i < messagesEach; i++) {
                    SmtpClientConnection connection = pool.acquire(key);
                    if (connection.send(hello()).allDelivered()) {
                      delivered++;
                    }
                    pool.release(key, connection);
                  }
                  return delivered;
                }));
      }
    }

    int delivered = 0;
    for (Future<Integer> result : results) {
      delivered += result.get();
    }
    assertThat(delivered).isEqualTo(threads * messagesEach);
    assertThat(pool.opened() + pool.reused()).isEqualTo(threads * messagesEach);
    assertThat(pool.opened()).isBetween(1L, (long) threads);
    assertThat(server.awaitMessages(threads * messagesEach, WAIT)).hasSize(threads * messagesEach);
    assertThat(pool.idleCount(key)).isEqualTo((int) pool.opened());
    assertThat(server.connectionCount()).isEqualTo((int) pool.opened());
  }

  @Test
  void limitsAreValidated() {
    assertThatThrownBy(() -> new PoolLimits(-1, 1, IDLE, IDLE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PoolLimits(1, 0, IDLE, IDLE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PoolLimits(1, 1, Duration.ZERO, IDLE))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(PoolLimits.defaults().maxMessagesPerConnection()).isEqualTo(100);
  }
}
