package io.vireo.relay.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.config.ConfigLoader;
import io.vireo.relay.testing.Await;
import io.vireo.relay.testing.PemCertificate;
import io.vireo.relay.testing.PemCertificate.KeyFormat;
import io.vireo.relay.testing.PemCertificate.KeyType;
import io.vireo.relay.testing.RedisServer;
import io.vireo.relay.testing.RedisServer.Security;
import io.vireo.relay.testing.RedisServerExtension;
import io.vireo.relay.testing.ScriptedSmtpServer;
import io.vireo.relay.testing.SmtpTestClient;
import io.vireo.relay.testing.TestRelays;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.RedisClient;

/**
 * Two whole relays in one JVM, configured from YAML with the same {@code cluster.redis}, take mail
 * over SMTP and deliver it to one next hop limited to {@code rate: 10/s}: the next hop sees the
 * fleet's rate, not twice it. And a relay reaches a Redis over TLS as an ACL user with the files
 * its YAML names, or does not start when a file is missing.
 */
class ClusterRedisIntegrationTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int PER_RELAY = 15;

  @TempDir Path dir;

  @Test
  @ExtendWith(RedisServerExtension.class)
  void relaysConfiguredWithOneRedisShareTheDestinationsRate(RedisServer redis) throws Exception {
    List<Long> arrivals = new CopyOnWriteArrayList<>();
    try (ScriptedSmtpServer nextHop = new ScriptedSmtpServer("127.0.0.6")) {
      nextHop.onData(
          count -> {
            arrivals.add(System.nanoTime());
            return null;
          });
      String delivery =
          """
          delivery:
            tls: none
            routes:
              - { domains: ["example.net"], via: "127.0.0.6:%d", tls: none }
            defaults:
              connections: 2
              rate: 10/s
          """
              .formatted(nextHop.port());
      String cluster = "cluster:\n  redis: " + redis.endpoint() + "\n";
      try (Relay one = relay("one", delivery, cluster);
          Relay two = relay("two", delivery, cluster)) {
        for (Relay relay : List.of(one, two)) {
          try (SmtpTestClient client =
              SmtpTestClient.greeted("127.0.0.1", TestRelays.smtpPort(relay))) {
            client.ehlo("app.test");
            for (int i = 0; i < PER_RELAY; i++) {
              client.sendMessage(
                  "app@example.com",
                  List.of("user" + i + "@example.net"),
                  "Subject: hi\r\n\r\nx\r\n");
            }
          }
        }
        Await.until(
            "all messages at the next hop", WAIT, () -> arrivals.size() == 2 * PER_RELAY);

        double seconds = (arrivals.getLast() - arrivals.getFirst()) / 1e9;
        double rate = (arrivals.size() - 1) / seconds;
        assertThat(rate).as("messages/s at the next hop").isBetween(5.0, 13.0);
        assertThat(one.delivery().stats().delivered()).isPositive();
        assertThat(two.delivery().stats().delivered()).isPositive();
        try (RedisClient admin = RedisClient.create("127.0.0.1", redis.port())) {
          assertThat(admin.keys("*")).allMatch(key -> key.startsWith("vireo:{route:"));
        }
      }
    }
  }

  /** A relay given a TLS Redis, an ACL user and its password file, all from YAML, shares limits. */
  @Test
  void aRelayLogsInToARedisOverTlsAsAnAclUser() throws Exception {
    PemCertificate certificate =
        PemCertificate.generate(dir, "redis.test", KeyType.EC, KeyFormat.PKCS8);
    Path passwordFile = Files.writeString(dir.resolve("redis-password"), "pw-0b8d-secret\n");
    AtomicInteger delivered = new AtomicInteger();
    try (RedisServer redis =
            RedisServer.start(
                dir.resolve("redis"),
                Security.aclUser("vireo", "pw-0b8d-secret").withTls(certificate));
        ScriptedSmtpServer nextHop = new ScriptedSmtpServer("127.0.0.6")) {
      nextHop.onData(
          count -> {
            delivered.incrementAndGet();
            return null;
          });
      String delivery =
          """
          delivery:
            tls: none
            routes:
              - { domains: ["example.net"], via: "127.0.0.6:%d", tls: none }
            defaults:
              rate: 10/s
          """
              .formatted(nextHop.port());
      String cluster =
          """
          cluster:
            redis: %s
            redis-user: vireo
            redis-password-file: "%s"
            redis-ca-file: "%s"
          """
              .formatted(redis.endpoint(), passwordFile, certificate.certFile());
      try (Relay relay = relay("secured", delivery, cluster);
          SmtpTestClient client = SmtpTestClient.greeted("127.0.0.1", TestRelays.smtpPort(relay))) {
        client.ehlo("app.test");
        for (int i = 0; i < 3; i++) {
          client.sendMessage(
              "app@example.com", List.of("user" + i + "@example.net"), "Subject: hi\r\n\r\nx\r\n");
        }
        Await.until("three messages at the next hop", WAIT, () -> delivered.get() == 3);
        assertThat(relay.delivery().stats().sharedLimitFallbacks()).isZero();
      }
    }
  }

  @Test
  void aMissingPasswordFileStopsTheStartBeforeTheSpoolIsOpened() throws Exception {
    Path passwordFile = dir.resolve("no-such-password");
    String cluster =
        "cluster:\n  redis: redis://127.0.0.1:6379\n  redis-password-file: \""
            + passwordFile
            + "\"\n";

    assertThatThrownBy(() -> relay("unstarted", "", cluster))
        .isInstanceOf(IOException.class)
        .hasMessage(
            "cluster.redis-password-file "
                + passwordFile
                + ": cannot read it (NoSuchFileException)");
    assertThat(dir.resolve("unstarted")).doesNotExist();
  }

  private Relay relay(String name, String delivery, String cluster) throws Exception {
    return Relay.start(
        ConfigLoader.parse(TestRelays.yaml(dir.resolve(name), delivery, cluster), name + ".yaml"));
  }
}
