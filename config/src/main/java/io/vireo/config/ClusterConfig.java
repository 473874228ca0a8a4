package io.vireo.config;

import java.util.Objects;
import java.util.Optional;

/**
 * What several Vireo nodes share ({@code cluster} in vireo.yaml). Each node keeps its own spool;
 * only limits that must hold for the fleet as a whole live in the shared store.
 *
 * @param redis the Redis server holding per-destination rate limits and connection caps for all
 *     nodes; empty: every limit is this node's own
 */
public record ClusterConfig(Optional<RedisEndpoint> redis) {
  /** A node on its own: no shared store. */
  public static final ClusterConfig LOCAL = new ClusterConfig(Optional.empty());

  public ClusterConfig {
    Objects.requireNonNull(redis, "redis");
  }
}
