package io.vireo.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What several Vireo nodes share ({@code cluster} in vireo.yaml). Each node keeps its own spool;
 * only limits that must hold for the fleet as a whole live in the shared store.
 *
 * <p>The Redis password is never held here, only the file it is read from at start, so neither this
 * record nor {@code vireo config check --print} can show it.
 *
 * @param redis the Redis server holding per-destination rate limits and connection caps for all
 *     nodes; empty: every limit is this node's own
 * @param redisUser the Redis ACL user to log in as ({@code AUTH user password}); empty: Redis's
 *     {@code default} user ({@code AUTH password}) when there is a password
 * @param redisPasswordFile the file holding the Redis password (its trailing line break dropped);
 *     empty: no {@code AUTH}
 * @param redisCaFile PEM certificates to trust for a {@code rediss://} server, for a private CA;
 *     empty: the JVM's default trust store
 */
public record ClusterConfig(
    Optional<RedisEndpoint> redis,
    Optional<String> redisUser,
    Optional<Path> redisPasswordFile,
    Optional<Path> redisCaFile) {
  /** A node on its own: no shared store. */
  public static final ClusterConfig LOCAL = new ClusterConfig(Optional.empty());

  public ClusterConfig {
    Objects.requireNonNull(redis, "redis");
    Objects.requireNonNull(redisUser, "redisUser");
    Objects.requireNonNull(redisPasswordFile, "redisPasswordFile");
    Objects.requireNonNull(redisCaFile, "redisCaFile");
    if (redis.isEmpty()
        && (redisUser.isPresent() || redisPasswordFile.isPresent() || redisCaFile.isPresent())) {
      throw new IllegalArgumentException(
          "cluster.redis-user, -password-file and -ca-file need cluster.redis");
    }
    if (redisUser.isPresent() && redisPasswordFile.isEmpty()) {
      throw new IllegalArgumentException(
          "cluster.redis-user needs cluster.redis-password-file (Redis logs a user in with a"
              + " password)");
    }
    if (redisCaFile.isPresent() && !redis.get().tls()) {
      throw new IllegalArgumentException(
          "cluster.redis-ca-file is for TLS: write cluster.redis as rediss://");
    }
  }

  /** A shared Redis without a password or a CA of its own (or none). */
  public ClusterConfig(Optional<RedisEndpoint> redis) {
    this(redis, Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** This configuration with its files resolved against {@code base}; absolute ones kept. */
  ClusterConfig resolvePaths(Path base) {
    return new ClusterConfig(
        redis,
        redisUser,
        redisPasswordFile.map(file -> base.resolve(file).normalize()),
        redisCaFile.map(file -> base.resolve(file).normalize()));
  }
}
