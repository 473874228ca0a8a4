package io.vireo.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code cluster.redis}: optional, parsed, validated with the key and line, printed back. */
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
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "127.0.0.1:6379 | must start with redis://",
        "rediss://127.0.0.1:6379 | not supported",
        "redis://:secret@127.0.0.1:6379 | credentials in the address are not supported",
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
        .hasMessageContaining(reason);
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
}
