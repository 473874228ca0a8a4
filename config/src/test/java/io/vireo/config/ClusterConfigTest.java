package io.vireo.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code cluster.redis} and the keys that say how to log in to it: optional, parsed, validated with
 * the key and line, printed back (the password file by name only).
 */
class ClusterConfigTest {
  private static VireoConfig parse(String yaml) throws ConfigException {
    return ConfigLoader.parse(yaml, "vireo.yaml");
  }

  @Test
  void withoutTheKeyANodeIsOnItsOwn() throws ConfigException {
    assertThat(ConfigLoader.defaults().cluster()).isEqualTo(ClusterConfig.LOCAL);
    assertThat(parse("cluster: { redis: \"\" }").cluster().redis()).isEmpty();
    assertThat(parse("cluster:\n").cluster()).isEqualTo(ClusterConfig.LOCAL);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "redis://127.0.0.1:6380 | 127.0.0.1 | 6380 | 0",
        "redis://redis.internal | redis.internal | 6379 | 0",
        "redis://redis.internal:7000/3 | redis.internal | 7000 | 3",
        "REDIS://10.0.0.5/ | 10.0.0.5 | 6379 | 0",
        "'redis://[::1]:6379' | ::1 | 6379 | 0",
      })
  void readsAnAddress(String text, String host, int port, int database) throws ConfigException {
    Optional<RedisEndpoint> redis = parse("cluster:\n  redis: " + text + "\n").cluster().redis();
    assertThat(redis).contains(new RedisEndpoint(host, port, database));
    assertThat(redis.orElseThrow().tls()).isFalse();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "rediss://redis.internal:6380/1 | redis.internal | 6380 | 1",
        "REDISS://127.0.0.1 | 127.0.0.1 | 6379 | 0",
      })
  void readsATlsAddress(String text, String host, int port, int database) throws ConfigException {
    Optional<RedisEndpoint> redis = parse("cluster:\n  redis: " + text + "\n").cluster().redis();
    assertThat(redis).contains(new RedisEndpoint(host, port, database, true));
    assertThat(redis.orElseThrow().toString()).startsWith("rediss://");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "127.0.0.1:6379 | must start with redis:// or rediss://",
        "redis://:hunter2@127.0.0.1:6379 | set cluster.redis-user and cluster.redis-password-file",
        "rediss://vireo:hunter2@127.0.0.1 | set cluster.redis-user and cluster.redis-password-file",
        "redis://127.0.0.1:0 | port must be 1..65535",
        "redis://127.0.0.1:99999 | port out of range",
        "redis:// | host missing",
        "redis://bad_host:6379 | not an IP address or host name",
        "redis://127.0.0.1:6379/x | database is not a number",
      })
  void refusesAnythingElseNamingKeyAndLine(String text, String reason) {
    assertThatThrownBy(() -> parse("hostname: vireo.local\ncluster:\n  redis: \"" + text + "\"\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("vireo.yaml:3:10: cluster.redis: expected a Redis address")
        .hasMessageContaining(reason)
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void readsTheUserThePasswordFileAndTheCaFileResolvedBesideTheConfigFile(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("vireo.yaml");
    Files.writeString(
        file,
        """
        cluster:
          redis: rediss://redis.internal:6380
          redis-user: vireo-node
          redis-password-file: secrets/redis-password
          redis-ca-file: /etc/ssl/private-ca.pem
        """);

    ClusterConfig cluster = ConfigLoader.load(file).cluster();

    assertThat(cluster)
        .isEqualTo(
            new ClusterConfig(
                Optional.of(new RedisEndpoint("redis.internal", 6380, 0, true)),
                Optional.of("vireo-node"),
                Optional.of(dir.toAbsolutePath().resolve("secrets/redis-password")),
                Optional.of(Path.of("/etc/ssl/private-ca.pem"))));
  }

  @Test
  void aPasswordWithoutAUserIsForTheDefaultUser() throws ConfigException {
    ClusterConfig cluster =
        parse("cluster:\n  redis: redis://127.0.0.1\n  redis-password-file: /run/pw\n").cluster();
    assertThat(cluster.redisUser()).isEmpty();
    assertThat(cluster.redisPasswordFile()).contains(Path.of("/run/pw"));
    assertThat(parse("cluster:\n  redis: redis://127.0.0.1\n  redis-user: \"\"\n").cluster())
        .isEqualTo(new ClusterConfig(Optional.of(new RedisEndpoint("127.0.0.1", 6379, 0))));
  }

  /** Each case is the {@code cluster} section's lines, separated by {@code ;}. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "redis: redis://127.0.0.1; redis-user: vireo"
            + " | 4:15: cluster.redis-user: needs cluster.redis-password-file",
        "redis: redis://127.0.0.1; redis-ca-file: /ca.pem | 4:18: cluster.redis-ca-file: only used"
            + " over TLS: write cluster.redis as rediss://",
        "redis-password-file: /run/pw"
            + " | 3:24: cluster.redis-password-file: only used with cluster.redis",
        "redis: \"\"; redis-user: vireo | 4:15: cluster.redis-user: only used with cluster.redis",
        "redis-ca-file: /ca.pem | 3:18: cluster.redis-ca-file: only used with cluster.redis",
        "redis: redis://127.0.0.1; redis-user: \"two words\"; redis-password-file: /pw"
            + " | 4:15: cluster.redis-user: expected a Redis ACL user name",
      })
  void refusesKeysThatCannotWorkTogetherNamingKeyAndLine(String lines, String reason) {
    String section = "  " + String.join("\n  ", lines.split("; "));
    assertThatThrownBy(() -> parse("hostname: vireo.local\ncluster:\n" + section + "\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("vireo.yaml:" + reason);
  }

  @Test
  void anInvalidAddressIsTheOnlyProblemReported() {
    assertThatThrownBy(
            () ->
                parse(
                    "cluster:\n  redis: redis://bad_host\n  redis-user: vireo\n"
                        + "  redis-password-file: /pw\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cluster.redis: expected a Redis address")
        .hasMessageNotContaining("only used with");
  }

  @Test
  void unknownKeyInTheSectionIsReported() {
    assertThatThrownBy(() -> parse("cluster:\n  reddis: redis://127.0.0.1\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cluster.reddis: unknown key; did you mean redis?");
  }

  @Test
  void printsBackToTheSameConfiguration() throws ConfigException {
    VireoConfig config = parse("cluster: { redis: \"redis://[::1]:7000/2\" }");
    String printed = ConfigPrinter.render(config);
    assertThat(printed).contains("cluster:\n  redis: \"redis://[::1]:7000/2\"\n");
    assertThat(parse(printed)).isEqualTo(config);
    assertThat(ConfigPrinter.render(ConfigLoader.defaults())).contains("cluster:\n  redis: \"\"\n");
  }

  @Test
  void printsThePasswordFileByNameInBothRenderings() throws ConfigException {
    VireoConfig config =
        parse(
            """
            cluster:
              redis: rediss://127.0.0.1:6380
              redis-user: vireo
              redis-password-file: /run/secrets/redis
              redis-ca-file: /etc/vireo/ca.pem
            """);
    String section =
        "cluster:\n"
            + "  redis: \"rediss://127.0.0.1:6380\"\n"
            + "  redis-user: vireo\n"
            + "  redis-password-file: /run/secrets/redis\n"
            + "  redis-ca-file: /etc/vireo/ca.pem\n";
    assertThat(ConfigPrinter.render(config)).contains(section);
    assertThat(ConfigPrinter.renderRedacted(config)).contains(section);
    assertThat(parse(ConfigPrinter.render(config))).isEqualTo(config);
  }
}
