package io.vireo.relay.delivery.schedule.limits;

import io.vireo.config.ClusterConfig;
import io.vireo.config.RedisEndpoint;
import io.vireo.relay.tls.VerifyingTlsClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import redis.clients.jedis.DefaultJedisClientConfig;

/**
 * How to reach and log in to the Redis of {@code cluster.redis}: its address, the ACL user and the
 * password read from {@code cluster.redis-password-file}, and for {@code rediss://} the TLS that
 * verifies the server (against {@code cluster.redis-ca-file} or the JVM's trust store).
 *
 * <p>The files are read once, by {@link #load}, at start: a file that cannot be used stops the
 * start with a message naming it. The password is kept only here, and nothing here prints it:
 * {@link #toString()} says whether there is one.
 */
public final class RedisAccess {
  private final RedisEndpoint endpoint;
  private final Optional<String> user;
  private final String password; // null: no AUTH
  private final SSLContext tls; // null: plain text

  private RedisAccess(
      RedisEndpoint endpoint, Optional<String> user, String password, SSLContext tls) {
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.user = Objects.requireNonNull(user, "user");
    this.password = password;
    this.tls = tls;
  }

  /**
   * The access {@code cluster} describes, its files read now; empty without {@code cluster.redis}.
   *
   * @throws IOException naming the key and the file when the password file is missing, unreadable
   *     or empty, or the CA file holds no usable certificate
   */
  public static Optional<RedisAccess> load(ClusterConfig cluster) throws IOException {
    if (cluster.redis().isEmpty()) {
      return Optional.empty();
    }
    RedisEndpoint endpoint = cluster.redis().get();
    String password =
        cluster.redisPasswordFile().isEmpty()
            ? null
            : readPassword(cluster.redisPasswordFile().get());
    SSLContext tls =
        endpoint.tls()
            ? VerifyingTlsClient.context(cluster.redisCaFile(), "cluster.redis-ca-file")
            : null;
    return Optional.of(new RedisAccess(endpoint, cluster.redisUser(), password, tls));
  }

  /** {@code endpoint} without a password; over TLS, trusting the JVM's default trust store. */
  public static RedisAccess of(RedisEndpoint endpoint) {
    try {
      return load(new ClusterConfig(Optional.of(endpoint))).orElseThrow();
    } catch (IOException e) {
      // No file is read without a password file or a CA file.
      throw new IllegalStateException(e);
    }
  }

  public RedisEndpoint endpoint() {
    return endpoint;
  }

  /** Sets the user, the password and TLS on a Jedis client configuration. */
  DefaultJedisClientConfig.Builder configure(DefaultJedisClientConfig.Builder config) {
    if (password != null) {
      user.ifPresent(config::user);
      config.password(password);
    }
    if (tls != null) {
      config
          .ssl(true)
          .sslSocketFactory(tls.getSocketFactory())
          .sslParameters(VerifyingTlsClient.parameters());
    }
    return config;
  }

  /**
   * The address, and the user or whether there is a password (a user always has one); never the
   * password itself.
   */
  @Override
  public String toString() {
    if (password == null) {
      return endpoint.toString();
    }
    return endpoint + user.map(name -> " as user " + name).orElse(" with a password");
  }

  /**
   * The file's text without its trailing line break (as {@code echo} or an editor leaves it). The
   * messages name the file, never what it holds.
   */
  private static String readPassword(Path file) throws IOException {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IOException(
          "cluster.redis-password-file "
              + file
              + ": cannot read it ("
              + e.getClass().getSimpleName()
              + ")",
          e);
    }
    int end = text.length();
    while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
      end--;
    }
    String password = text.substring(0, end);
    if (password.isEmpty()) {
      throw new IOException("cluster.redis-password-file " + file + ": empty");
    }
    if (password.indexOf('\n') >= 0 || password.indexOf('\r') >= 0) {
      throw new IOException(
          "cluster.redis-password-file " + file + ": must hold the password on one line");
    }
    return password;
  }
}
