package io.vireo.relay.delivery.schedule.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.config.ClusterConfig;
import io.vireo.config.RedisEndpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.DefaultJedisClientConfig;

/**
 * Reading {@code cluster.redis-password-file} and {@code cluster.redis-ca-file} at start: a file
 * that cannot be used is named, and the password shows nowhere. Logging in with what is read is
 * {@link RedisLimitsSecurityTest}'s part.
 */
class RedisAccessTest {
  private static final String PASSWORD = "pw-7f3a-never-printed";
  private static final RedisEndpoint PLAIN = new RedisEndpoint("127.0.0.1", 6379, 0);
  private static final RedisEndpoint TLS = new RedisEndpoint("127.0.0.1", 6380, 0, true);

  @TempDir Path dir;

  private static ClusterConfig cluster(
      RedisEndpoint endpoint, Optional<String> user, Path passwordFile, Path caFile) {
    return new ClusterConfig(
        Optional.of(endpoint),
        user,
        Optional.ofNullable(passwordFile),
        Optional.ofNullable(caFile));
  }

  @Test
  void withoutClusterRedisThereIsNothingToReach() throws IOException {
    assertThat(RedisAccess.load(ClusterConfig.LOCAL)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "\n", "\r\n", "\n\n"})
  void thePasswordIsReadWithoutItsTrailingLineBreakAndNeverShown(String ending) throws Exception {
    Path file = Files.writeString(dir.resolve("redis-password"), PASSWORD + ending);

    RedisAccess access =
        RedisAccess.load(cluster(PLAIN, Optional.of("vireo"), file, null)).orElseThrow();

    assertThat(access.toString())
        .isEqualTo("redis://127.0.0.1:6379 as user vireo")
        .doesNotContain(PASSWORD);
    var config = access.configure(DefaultJedisClientConfig.builder()).build();
    assertThat(config.getCredentialsProvider().get().getPassword())
        .containsExactly(PASSWORD.toCharArray());
    assertThat(config.getCredentialsProvider().get().getUser()).isEqualTo("vireo");
    assertThat(config.isSsl()).isFalse();
  }

  @Test
  void aPasswordAloneIsForTheDefaultUser() throws Exception {
    Path file = Files.writeString(dir.resolve("redis-password"), PASSWORD + "\n");

    RedisAccess access =
        RedisAccess.load(cluster(PLAIN, Optional.empty(), file, null)).orElseThrow();

    assertThat(access.toString()).isEqualTo("redis://127.0.0.1:6379 with a password");
    var config = access.configure(DefaultJedisClientConfig.builder()).build();
    assertThat(config.getCredentialsProvider().get().getUser()).isNull();
  }

  @Test
  void aPasswordFileThatCannotBeUsedStopsTheStartNamingIt() throws Exception {
    Path missing = dir.resolve("missing");
    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    Path twoLines = Files.writeString(dir.resolve("two-lines"), PASSWORD + "\nsecond\n");

    assertThatThrownBy(() -> RedisAccess.load(cluster(PLAIN, Optional.empty(), missing, null)))
        .isInstanceOf(IOException.class)
        .hasMessage(
            "cluster.redis-password-file " + missing + ": cannot read it (NoSuchFileException)");
    assertThatThrownBy(() -> RedisAccess.load(cluster(PLAIN, Optional.empty(), empty, null)))
        .isInstanceOf(IOException.class)
        .hasMessage("cluster.redis-password-file " + empty + ": empty");
    assertThatThrownBy(() -> RedisAccess.load(cluster(PLAIN, Optional.empty(), twoLines, null)))
        .isInstanceOf(IOException.class)
        .hasMessage(
            "cluster.redis-password-file " + twoLines + ": must hold the password on one line")
        .hasMessageNotContaining(PASSWORD);
  }

  @Test
  void aCaFileThatCannotBeUsedStopsTheStartNamingIt() throws Exception {
    Path missing = dir.resolve("missing-ca.pem");
    Path notPem = Files.writeString(dir.resolve("ca.pem"), "not a certificate\n");

    assertThatThrownBy(() -> RedisAccess.load(cluster(TLS, Optional.empty(), null, missing)))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("cluster.redis-ca-file " + missing + ": cannot read");
    assertThatThrownBy(() -> RedisAccess.load(cluster(TLS, Optional.empty(), null, notPem)))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("cluster.redis-ca-file " + notPem);
  }

  @Test
  void redissIsTlsWithTheServersNameChecked() throws Exception {
    RedisAccess access = RedisAccess.of(TLS);

    var config = access.configure(DefaultJedisClientConfig.builder()).build();

    assertThat(access.toString()).isEqualTo("rediss://127.0.0.1:6380");
    assertThat(config.isSsl()).isTrue();
    assertThat(config.getSslSocketFactory()).isNotNull();
    assertThat(config.getSslParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
    assertThat(config.getSslParameters().getProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
  }
}
