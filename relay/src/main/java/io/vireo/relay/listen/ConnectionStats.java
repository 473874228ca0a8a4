package io.vireo.relay.listen;

/**
 * A snapshot of one {@link Listener}.
 *
 * @param accepting true while every address is bound and the listener takes connections
 * @param openConnections sessions running now
 * @param acceptedConnections connections admitted to a session since start
 * @param refusedMaxConnections connections refused because {@code limits.max-connections}
 *     sessions were running
 * @param refusedMaxConnectionsPerIp connections refused because their address had {@code
 *     limits.max-connections-per-ip} sessions
 */
public record ConnectionStats(
    boolean accepting,
    int openConnections,
    long acceptedConnections,
    long refusedMaxConnections,
    long refusedMaxConnectionsPerIp) {}
