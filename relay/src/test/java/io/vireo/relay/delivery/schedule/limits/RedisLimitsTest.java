package io.vireo.relay.delivery.schedule.limits;

import static java.time.Duration.ofMillis;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.vireo.config.DestinationLimits;
import io.vireo.config.Rate;
import io.vireo.config.RedisEndpoint;
import io.vireo.relay.delivery.LogCapture;
import io.vireo.relay.testing.Await;
import io.vireo.relay.testing.RedisServer;
import io.vireo.relay.testing.RedisServerExtension;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.RedisClient;

/**
 * {@link RedisLimits} against a real redis-server on loopback: two instances stand for two nodes
 * sharing one Redis.
 */
@ExtendWith(RedisServerExtension.class)
class RedisLimitsTest {
  private static final String DESTINATION = "route:127.0.0.9:25";
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final RedisLimitsOptions FAST =
      RedisLimitsOptions.defaults()
          .withRetryAfter(Duration.ofMillis(200))
          .withLeaseTtl(Duration.ofMillis(900));

  private static DestinationLimits limits(int connections, Rate rate) {
    return new DestinationLimits(connections, rate, 100, Duration.ofSeconds(5));
  }

  private static RedisLimits node(RedisServer redis) {
    return new RedisLimits(redis.endpoint(), Clock.systemUTC(), FAST);
  }

  @Test
  void twoNodesShareOneDestinationsSendSlots(RedisServer redis) {
    try (RedisLimits a = node(redis);
        RedisLimits b = node(redis);
        RedisClient admin = RedisClient.create("127.0.0.1", redis.port())) {
      DestinationLimiter onA = a.limiter(DESTINATION, limits(4, new Rate(10)));
      DestinationLimiter onB = b.limiter(DESTINATION, limits(4, new Rate(10)));
      Instant now = Instant.now();

      Duration first = onA.reserve(now);
      Duration second = onB.reserve(now);
      Duration third = onA.reserve(now);

      // 10/s: slots 100 ms apart whichever node asks (minus the few ms between the calls).
      assertThat(first).isLessThan(Duration.ofMillis(5));
      assertThat(second).isBetween(Duration.ofMillis(60), Duration.ofMillis(100));
      assertThat(third).isBetween(Duration.ofMillis(160), Duration.ofMillis(200));
      assertThat(onB.tryReserve(now)).as("no slot is free now").isFalse();
      assertThat(a.fallbacks() + b.fallbacks()).isZero();
      // One namespaced key that expires shortly after its last slot.
      assertThat(admin.keys("*")).containsExactly("vireo:{" + DESTINATION + "}:rate");
      assertThat(admin.pttl("vireo:{" + DESTINATION + "}:rate")).isBetween(1L, 1_300L);
    }
  }

  @Test
  void theConnectionCapHoldsAcrossNodesAndFreedSlotsGoToTheNodeThatWaited(RedisServer redis) {
    try (RedisLimits a = node(redis);
        RedisLimits b = node(redis)) {
      DestinationLimiter onA = a.limiter(DESTINATION, limits(2, Rate.unlimited()));
      DestinationLimiter onB = b.limiter(DESTINATION, limits(2, Rate.unlimited()));
      ConnectionSlot a1 = onA.connectionSlot();
      ConnectionSlot a2 = onA.connectionSlot();
      ConnectionSlot a3 = onA.connectionSlot();
      ConnectionSlot b1 = onB.connectionSlot();

      assertThat(a1.tryAcquire()).isTrue();
      assertThat(a2.tryAcquire()).isTrue();
      assertThat(b1.tryAcquire()).as("the cap of 2 is reached by node A").isFalse();

      a1.release();
      assertThat(a3.tryAcquire()).as("B asked first: the freed slot is B's").isFalse();
      assertThat(b1.tryAcquire()).isTrue();
      assertThat(a1.tryAcquire()).isFalse();
      b1.release();
      assertThat(a3.tryAcquire()).as("A's oldest waiter").isTrue();
      assertThat(a.fallbacks() + b.fallbacks()).isZero();
    }
  }

  @Test
  void leasesOfANodeThatStopsRenewingExpire(RedisServer redis) {
    try (RedisLimits b = node(redis)) {
      RedisLimits a = node(redis);
      ConnectionSlot a1 = a.limiter(DESTINATION, limits(1, Rate.unlimited())).connectionSlot();
      ConnectionSlot b1 = b.limiter(DESTINATION, limits(1, Rate.unlimited())).connectionSlot();
      assertThat(a1.tryAcquire()).isTrue();

      // Renewed every third of the 900 ms TTL, A's lease outlives several TTLs while A runs.
      long renewedUntil = System.nanoTime() + 2_000_000_000L;
      Await.until(
          "two seconds of node A holding its renewed lease",
          WAIT,
          () -> {
            assertThat(b1.tryAcquire()).isFalse();
            return System.nanoTime() > renewedUntil;
          });

      a.close(); // stops renewing and never releases, as a crashed node
      Await.until("node A's lease expired", WAIT, b1::tryAcquire);
    }
  }

  @Test
  void withRedisDownDecisionsAreLocalCountedAndWarnedOnceThenSharedAgain(RedisServer redis)
      throws Exception {
    try (LogCapture log = new LogCapture(RedisLimits.class.getName(), Level.INFO);
        RedisLimits a = node(redis)) {
      DestinationLimiter limiter = a.limiter(DESTINATION, limits(1, new Rate(1000)));
      ConnectionSlot slot = limiter.connectionSlot();
      assertThat(limiter.reserve(Instant.now())).isLessThan(Duration.ofMillis(5));

      redis.stop();
      Instant now = Instant.now();
      long started = System.nanoTime();
      for (int i = 0; i < 200; i++) {
        // Local 1000/s: slot i is i ms after now.
        assertThat(limiter.reserve(now)).isEqualTo(Duration.ofMillis(i));
      }
      assertThat(slot.tryAcquire()).as("the local cap decides").isTrue();
      assertThat(Duration.ofNanos(System.nanoTime() - started))
          .as("at most a failed call per retry interval, each bounded by a short timeout")
          .isLessThan(Duration.ofSeconds(2));
      assertThat(a.fallbacks()).isGreaterThanOrEqualTo(201);
      assertThat(log.linesContaining("unavailable"))
          .as("one warning, not one per decision")
          .singleElement()
          .asString()
          .startsWith("shared limits: Redis " + redis.endpoint() + " unavailable");

      redis.startAgain();
      RedisClient admin = RedisClient.create("127.0.0.1", redis.port());
      Await.until(
          "the next call after the retry interval reaches Redis",
          WAIT,
          () -> {
            limiter.reserve(Instant.now());
            return admin.exists("vireo:{" + DESTINATION + "}:rate");
          });
      assertThat(log.linesContaining("available again")).hasSize(1);
      // The connection opened while Redis was away is registered by the renewal.
      Await.until(
          "the lease taken locally is registered",
          WAIT,
          () -> admin.zcard("vireo:{" + DESTINATION + "}:conns") == 1);
      slot.release();
      assertThat(admin.zcard("vireo:{" + DESTINATION + "}:conns")).isZero();
      admin.close();
    }
  }

  /** A Redis that accepts connections and never answers: every wait is bounded by the timeouts. */
  @Test
  void aRedisThatDoesNotAnswerCostsOneShortTimeoutPerRetryInterval() throws Exception {
    try (ServerSocket silent = new ServerSocket();
        LogCapture log = new LogCapture(RedisLimits.class.getName(), Level.INFO)) {
      silent.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
      Thread.ofVirtual().start(() -> acceptAndHold(silent));
      try (RedisLimits a =
          new RedisLimits(
              new RedisEndpoint("127.0.0.1", silent.getLocalPort(), 0), Clock.systemUTC(), FAST)) {
        DestinationLimiter limiter = a.limiter(DESTINATION, limits(1, new Rate(1000)));
        Instant now = Instant.now();

        long started = System.nanoTime();
        assertThat(limiter.reserve(now)).isZero(); // the local limiter's first slot
        Duration first = Duration.ofNanos(System.nanoTime() - started);
        started = System.nanoTime();
        assertThat(limiter.reserve(now)).isEqualTo(Duration.ofMillis(1));
        assertThat(limiter.connectionSlot().tryAcquire()).isTrue();
        Duration next = Duration.ofNanos(System.nanoTime() - started);

        assertThat(first)
            .as("one command timeout (250 ms)")
            .isBetween(ofMillis(200), ofMillis(1500));
        assertThat(next).as("local at once while resting").isLessThan(ofMillis(100));
        assertThat(a.fallbacks()).isEqualTo(3);
        assertThat(log.linesContaining("unavailable")).hasSize(1);
      }
    }
  }

  private static void acceptAndHold(ServerSocket silent) {
    List<Socket> held = new ArrayList<>();
    try {
      while (true) {
        held.add(silent.accept()); // read nothing, answer nothing
      }
    } catch (IOException e) {
      // closed by the test
    } finally {
      held.forEach(
          socket -> {
            try {
              socket.close();
            } catch (IOException ignored) {
              // closing anyway
            }
          });
    }
  }
}
