package io.vireo.relay.delivery.smtp;

/**
 * A snapshot of a {@link ConnectionPool}.
 *
 * @param opened connections opened through the pool
 * @param reused times a pooled connection was handed out again
 * @param idle idle connections held now
 */
public record PoolStats(long opened, long reused, int idle) {}
