/**
 * Per-destination rate and connection limits, held by this node alone ({@link
 * io.vireo.relay.delivery.schedule.limits.LocalLimits}) or shared by a fleet of nodes on Redis
 * ({@link io.vireo.relay.delivery.schedule.limits.RedisLimits}, {@code cluster.redis}), behind
 * {@link io.vireo.relay.delivery.schedule.limits.SharedLimits}.
 */
package io.vireo.relay.delivery.schedule.limits;
