package io.vireo.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Binds the {@code cluster} section: the shared Redis, who to log in to it as, and the CA to trust
 * over TLS. The password file is only named here; the relay reads it at start.
 */
final class ClusterBinder {
  private ClusterBinder() {}

  static ClusterConfig cluster(YamlSection s, ClusterConfig d) {
    // null: written but invalid (reported); the keys that depend on it are then not judged.
    Optional<RedisEndpoint> redis = s.get("redis", ValueType.REDIS_ENDPOINT, null);
    Optional<String> user = s.get("redis-user", ValueType.REDIS_USER, d.redisUser());
    Optional<Path> passwordFile =
        s.get("redis-password-file", ValueType.OPTIONAL_PATH, d.redisPasswordFile());
    Optional<Path> caFile = s.get("redis-ca-file", ValueType.OPTIONAL_PATH, d.redisCaFile());
    if (redis == null) {
      if (s.has("redis")) {
        return d;
      }
      redis = d.redis();
    }
    boolean valid = true;
    if (redis.isEmpty()) {
      valid &= unused(s, "redis-user", user);
      valid &= unused(s, "redis-password-file", passwordFile);
      valid &= unused(s, "redis-ca-file", caFile);
    } else {
      if (user.isPresent() && passwordFile.isEmpty()) {
        s.problem(
            "redis-user",
            "needs cluster.redis-password-file: Redis logs a user in with a password");
        valid = false;
      }
      if (caFile.isPresent() && !redis.get().tls()) {
        s.problem("redis-ca-file", "only used over TLS: write cluster.redis as rediss://");
        valid = false;
      }
    }
    if (!valid) {
      return d;
    }
    Optional<RedisEndpoint> endpoint = redis;
    return s.build(() -> new ClusterConfig(endpoint, user, passwordFile, caFile), d);
  }

  private static boolean unused(YamlSection s, String key, Optional<?> value) {
    if (value.isEmpty()) {
      return true;
    }
    s.problem(key, "only used with cluster.redis: set that too, or remove this key");
    return false;
  }
}
