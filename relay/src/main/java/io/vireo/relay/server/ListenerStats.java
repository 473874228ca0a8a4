package io.vireo.relay.server;

/**
 * A snapshot of the SMTP listener.
 *
 * @param accepting true while every listen address is bound and the listener takes connections
 * @param openConnections sessions running now
 * @param acceptedConnections connections admitted to a session since start
 * @param refusedMaxConnections connections refused with 421 because {@code
 *     limits.max-connections} sessions were running
 * @param refusedMaxConnectionsPerIp connections refused with 421 because their address had {@code
 *     limits.max-connections-per-ip} sessions
 * @param messagesAccepted messages stored and acknowledged with 250
 * @param recipientsAccepted recipients of those messages
 */
public record ListenerStats(
    boolean accepting,
    int openConnections,
    long acceptedConnections,
    long refusedMaxConnections,
    long refusedMaxConnectionsPerIp,
    long messagesAccepted,
    long recipientsAccepted) {}
