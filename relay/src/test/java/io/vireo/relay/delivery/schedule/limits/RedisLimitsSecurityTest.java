package io.vireo.relay.delivery.schedule.limits;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.vireo.config.ClusterConfig;
import io.vireo.config.DestinationLimits;
import io.vireo.config.Rate;
import io.vireo.config.RedisEndpoint;
import io.vireo.queue.testing.ManualClock;
import io.vireo.relay.delivery.LogCapture;
import io.vireo.relay.testing.PemCertificate;
import io.vireo.relay.testing.PemCertificate.KeyFormat;
import io.vireo.relay.testing.PemCertificate.KeyType;
import io.vireo.relay.testing.RedisServer;
import io.vireo.relay.testing.RedisServer.Security;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;

/**
 * {@link RedisLimits} against a real redis-server on loopback that wants a password, an ACL user or
 * TLS: with the right credentials the limits are shared; with wrong ones, or a server whose
 * certificate does not verify, every decision is local and counted, with one warning that gives the
 * reason and never the password.
 */
class RedisLimitsSecurityTest {
  private static final String DESTINATION = "route:127.0.0.9:25";
  private static final String PASSWORD = "pw-91c4-never-printed";
  private static final RedisLimitsOptions FAST =
      RedisLimitsOptions.defaults().withRetryAfter(Duration.ofMillis(200));

  @TempDir Path dir;

  private static DestinationLimits limits(double perSecond) {
    return new DestinationLimits(1, new Rate(perSecond), 100, Duration.ofSeconds(5));
  }

  private RedisAccess access(
      RedisEndpoint endpoint, Optional<String> user, String password, Path caFile)
      throws Exception {
    Path passwordFile = null;
    if (password != null) {
      passwordFile = Files.writeString(dir.resolve("redis-password"), password + "\n");
    }
    return RedisAccess.load(
            new ClusterConfig(
                Optional.of(endpoint),
                user,
                Optional.ofNullable(passwordFile),
                Optional.ofNullable(caFile)))
        .orElseThrow();
  }

  /**
   * Two nodes' decisions through Redis: at 1/s the second node's slot is a second after the first's
   * (less the time the second node took to connect, well under half a second).
   */
  private static void assertShared(RedisAccess access) {
    try (RedisLimits limits = new RedisLimits(access, Clock.systemUTC(), FAST);
        RedisLimits other = new RedisLimits(access, Clock.systemUTC(), FAST)) {
      Instant now = Instant.now();
      assertThat(limits.limiter(DESTINATION, limits(1)).reserve(now))
          .isLessThan(Duration.ofMillis(5));
      // A fresh local limiter would answer zero: only Redis knows the first slot is taken.
      assertThat(other.limiter(DESTINATION, limits(1)).reserve(now))
          .isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
      assertThat(limits.fallbacks() + other.fallbacks()).isZero();
    }
  }

  /**
   * Decides 50 times over two and a half retry intervals (on a manual clock) with {@code access},
   * which Redis refuses: every decision is local and counted, and one warning names {@code reason}.
   */
  private static void assertFallsBackWarningOnce(RedisAccess access, String reason) {
    ManualClock clock = new ManualClock();
    try (LogCapture log = new LogCapture(RedisLimits.class.getName(), Level.INFO);
        LogCapture jedis = new LogCapture("redis.clients", Level.WARN);
        RedisLimits limits = new RedisLimits(access, clock, FAST)) {
      DestinationLimiter limiter = limits.limiter(DESTINATION, limits(1000));
      Instant now = Instant.now();
      for (int i = 0; i < 50; i++) {
        // Local 1000/s: slot i is i ms after now.
        assertThat(limiter.reserve(now)).isEqualTo(Duration.ofMillis(i));
        clock.advance(Duration.ofMillis(10)); // Redis is tried again every 200 ms
      }
      assertThat(limits.fallbacks()).isEqualTo(50);
      assertThat(log.linesContaining("unavailable"))
          .as("one warning for the outage, however many retries failed")
          .singleElement()
          .asString()
          .startsWith("shared limits: Redis " + access + " unavailable (")
          .contains(reason);
      assertThat(log.linesWithThrowables()).as("no stack traces").isEqualTo(log.lines());
      assertThat(log.linesWithThrowables()).noneMatch(line -> line.contains(PASSWORD));
      assertThat(jedis.lines()).as("the client logs nothing itself").isEmpty();
    }
  }

  @Test
  void thePasswordOfTheDefaultUserLogsIn() throws Exception {
    try (RedisServer redis =
        RedisServer.start(dir.resolve("redis"), Security.requirePass(PASSWORD))) {
      assertShared(access(redis.endpoint(), Optional.empty(), PASSWORD, null));
    }
  }

  @Test
  void anAclUserLogsInWithItsNameAndPassword() throws Exception {
    try (RedisServer redis =
            RedisServer.start(dir.resolve("redis"), Security.aclUser("vireo", PASSWORD));
        RedisClient admin =
            RedisClient.builder()
                .hostAndPort("127.0.0.1", redis.port())
                .clientConfig(
                    DefaultJedisClientConfig.builder().user("vireo").password(PASSWORD).build())
                .build()) {
      assertShared(access(redis.endpoint(), Optional.of("vireo"), PASSWORD, null));
      assertThat(admin.keys("*")).containsExactly("vireo:{" + DESTINATION + "}:rate");
    }
  }

  @Test
  void aWrongPasswordIsLikeRedisAwayCountedAndWarnedOnceWithWrongpass() throws Exception {
    try (RedisServer redis =
        RedisServer.start(dir.resolve("redis"), Security.aclUser("vireo", "the-right-one"))) {
      assertFallsBackWarningOnce(
          access(redis.endpoint(), Optional.of("vireo"), PASSWORD, null), "WRONGPASS");
    }
  }

  @Test
  void noPasswordForARedisThatWantsOneIsLikeRedisAway() throws Exception {
    try (RedisServer redis =
        RedisServer.start(dir.resolve("redis"), Security.requirePass(PASSWORD))) {
      assertFallsBackWarningOnce(RedisAccess.of(redis.endpoint()), "NOAUTH");
    }
  }

  @Test
  void overTlsTheServerIsVerifiedAgainstTheCaFile() throws Exception {
    PemCertificate certificate =
        PemCertificate.generate(dir, "redis.test", KeyType.EC, KeyFormat.PKCS8);
    try (RedisServer redis =
        RedisServer.start(
            dir.resolve("redis"), Security.aclUser("vireo", PASSWORD).withTls(certificate))) {
      assertThat(redis.endpoint().toString()).startsWith("rediss://127.0.0.1:");
      assertShared(
          access(redis.endpoint(), Optional.of("vireo"), PASSWORD, certificate.certFile()));
    }
  }

  @Test
  void aServerCertificateTheJvmDoesNotTrustIsLikeRedisAway() throws Exception {
    PemCertificate certificate =
        PemCertificate.generate(dir, "redis.test", KeyType.EC, KeyFormat.PKCS8);
    try (RedisServer redis =
        RedisServer.start(
            dir.resolve("redis"), Security.requirePass(PASSWORD).withTls(certificate))) {
      // No redis-ca-file: the JVM's trust store, which knows nothing of this self-signed one.
      assertFallsBackWarningOnce(
          access(redis.endpoint(), Optional.empty(), PASSWORD, null),
          "unable to find valid certification path");
    }
  }

  @Test
  void aServerCertificateForAnotherNameIsLikeRedisAway() throws Exception {
    // Trusted, but made out to redis.test and 127.0.0.1, not to localhost.
    PemCertificate certificate =
        PemCertificate.generate(dir, "redis.test", KeyType.RSA, KeyFormat.PKCS8);
    try (RedisServer redis =
        RedisServer.start(
            dir.resolve("redis"), Security.requirePass(PASSWORD).withTls(certificate))) {
      RedisEndpoint byName = new RedisEndpoint("localhost", redis.port(), 0, true);
      assertFallsBackWarningOnce(
          access(byName, Optional.empty(), PASSWORD, certificate.certFile()),
          "No subject alternative DNS name matching localhost");
    }
  }

  @Test
  void plainTextToATlsPortIsLikeRedisAway() throws Exception {
    PemCertificate certificate =
        PemCertificate.generate(dir, "redis.test", KeyType.EC, KeyFormat.PKCS8);
    try (RedisServer redis =
        RedisServer.start(dir.resolve("redis"), Security.NONE.withTls(certificate))) {
      RedisEndpoint plain = new RedisEndpoint("127.0.0.1", redis.port(), 0);
      try (LogCapture log = new LogCapture(RedisLimits.class.getName(), Level.INFO);
          RedisLimits limits = new RedisLimits(plain, Clock.systemUTC(), FAST)) {
        assertThat(limits.limiter(DESTINATION, limits(1000)).reserve(Instant.now())).isZero();
        assertThat(limits.fallbacks()).isEqualTo(1);
        assertThat(log.linesContaining("unavailable")).hasSize(1);
      }
    }
  }
}
