package io.vireo.relay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.config.DestinationLimits;
import io.vireo.config.HostPort;
import io.vireo.config.Rate;
import io.vireo.config.RouteConfig;
import io.vireo.queue.Envelope;
import io.vireo.queue.RecipientState;
import io.vireo.relay.delivery.schedule.limits.RedisLimits;
import io.vireo.relay.delivery.schedule.limits.RedisLimitsOptions;
import io.vireo.relay.testing.Await;
import io.vireo.relay.testing.RedisServer;
import io.vireo.relay.testing.RedisServerExtension;
import io.vireo.relay.testing.ScriptedSmtpServer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.RedisClient;

/**
 * Two delivery engines (two nodes, each with its own spool) sending to one destination with {@code
 * rate: 10/s}, with and without a shared Redis; the rate is measured where the mail arrives, at the
 * receiving server.
 */
@ExtendWith(RedisServerExtension.class)
class SharedLimitsDeliveryTest {
  private static final Logger log = LoggerFactory.getLogger(SharedLimitsDeliveryTest.class);
  private static final Duration DELIVERED_WITHIN = Duration.ofSeconds(40);
  private static final RedisLimitsOptions OPTIONS =
      RedisLimitsOptions.defaults().withRetryAfter(Duration.ofMillis(200));

  @TempDir Path dir;
  private ScriptedSmtpServer server;
  private final List<Long> arrivals = new CopyOnWriteArrayList<>();
  private DeliveryHarness nodeA;
  private DeliveryHarness nodeB;

  @BeforeEach
  void setUp() throws Exception {
    server = new ScriptedSmtpServer("127.0.0.5").hostname("mx.limited.test");
    server.onData(
        count -> {
          arrivals.add(System.nanoTime());
          return null;
        });
    nodeA = node("a");
    nodeB = node("b");
  }

  @AfterEach
  void tearDown() throws Exception {
    try (ScriptedSmtpServer s = server;
        DeliveryHarness a = nodeA;
        DeliveryHarness b = nodeB) {
      // closed in reverse order
    }
  }

  /** A node routing all mail to the one server, at 10/s and 2 connections, 3 messages each. */
  private DeliveryHarness node(String name) throws Exception {
    DeliveryHarness node = new DeliveryHarness(dir.resolve(name));
    node.settings.routes =
        List.of(new RouteConfig(List.of("*"), new HostPort("127.0.0.5", server.port())));
    node.settings.defaults = new DestinationLimits(2, new Rate(10), 3, Duration.ofSeconds(5));
    return node;
  }

  private void shareLimitsThrough(RedisServer redis) {
    for (DeliveryHarness node : List.of(nodeA, nodeB)) {
      node.settings.limits = () -> new RedisLimits(redis.endpoint(), Clock.systemUTC(), OPTIONS);
    }
  }

  /** Sends {@code perNode} messages through each node, alternating, each to its own recipient. */
  private List<Envelope> sendThroughBoth(int perNode) {
    List<Envelope> sent = new ArrayList<>();
    for (int i = 0; i < perNode; i++) {
      sent.add(nodeA.send("app@sender.test", "a" + i + "@limited.test"));
      sent.add(nodeB.send("app@sender.test", "b" + i + "@limited.test"));
    }
    return sent;
  }

  private void awaitArrivals(int count) {
    Await.until(
        count + " messages at the server", DELIVERED_WITHIN, () -> arrivals.size() >= count);
  }

  /** Messages per second between the first and the last arrival from index {@code from} on. */
  private double rate(int from, int to) {
    List<Long> times = arrivals.subList(from, to);
    double seconds = (times.getLast() - times.getFirst()) / 1e9;
    return (times.size() - 1) / seconds;
  }

  @Test
  void withoutRedisEachNodeKeepsOnlyItsOwnRate() {
    nodeA.start();
    nodeB.start();
    sendThroughBoth(30);
    awaitArrivals(60);

    double rate = rate(0, 60);
    log.info("two nodes at 10/s each, limits local: {} messages/s at the server", rate);
    assertThat(rate).as("each node alone keeps 10/s, so together about 20/s").isGreaterThan(15);
  }

  @Test
  void twoNodesSharingRedisStayAtTheDestinationsRate(RedisServer redis) {
    shareLimitsThrough(redis);
    nodeA.start();
    nodeB.start();
    sendThroughBoth(30);
    awaitArrivals(60);

    double rate = rate(0, 60);
    log.info("two nodes at 10/s sharing Redis: {} messages/s at the server", rate);
    assertThat(rate).as("messages/s at the server over ~6 s").isBetween(5.0, 13.0);
    assertThat(nodeA.engine().stats().delivered()).as("node A delivered").isPositive();
    assertThat(nodeB.engine().stats().delivered()).as("node B delivered").isPositive();
    assertThat(nodeA.engine().stats().sharedLimitFallbacks()).isZero();
    assertThat(nodeB.engine().stats().sharedLimitFallbacks()).isZero();
    assertThat(server.messages()).hasSize(60);

    nodeA.engine().close();
    nodeB.engine().close();
    try (RedisClient admin = RedisClient.create("127.0.0.1", redis.port())) {
      String prefix = "vireo:{route:127.0.0.5:" + server.port() + "}:";
      assertThat(admin.keys("*")).allMatch(key -> key.startsWith(prefix));
      assertThat(admin.zcard(prefix + "conns")).as("every lease given back").isZero();
    }
  }

  @Test
  void redisStoppedMidRunLosesNothingAndSharedLimitsResumeAfterItsRestart(RedisServer redis)
      throws Exception {
    shareLimitsThrough(redis);
    nodeA.start();
    nodeB.start();
    List<Envelope> sent = sendThroughBoth(40);

    awaitArrivals(15);
    redis.stop();
    int atStop = arrivals.size();
    // Both nodes go on alone (10/s each) until a dozen more have arrived.
    awaitArrivals(atStop + 12);
    redis.startAgain();
    int atRestart = arrivals.size();
    awaitArrivals(80);

    for (Envelope envelope : sent) {
      String recipient = envelope.recipients().getFirst().address();
      nodeFor(recipient).awaitState(envelope, recipient, RecipientState.DELIVERED);
    }
    List<String> received =
        server.messages().stream().flatMap(m -> m.recipients().stream()).toList();
    assertThat(received)
        .as("every message delivered exactly once")
        .hasSize(80)
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(
            sent.stream().map(e -> e.recipients().getFirst().address()).toList());
    assertThat(nodeA.engine().stats().sharedLimitFallbacks()).isPositive();
    assertThat(nodeB.engine().stats().sharedLimitFallbacks()).isPositive();

    double before = rate(0, atStop);
    double outage = rate(atStop, atRestart);
    // From a few messages after the restart (the first call after the retry interval finds Redis).
    double after = rate(atRestart + 3, 80);
    log.info(
        "Redis stopped mid-run: {} messages/s before, {} while it was down, {} after its restart",
        before,
        outage,
        after);
    assertThat(after).as("messages/s after Redis came back").isBetween(5.0, 13.0);
  }

  private DeliveryHarness nodeFor(String recipient) {
    return recipient.startsWith("a") ? nodeA : nodeB;
  }
}
