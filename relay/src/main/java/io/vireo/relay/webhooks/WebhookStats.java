package io.vireo.relay.webhooks;

/**
 * One webhook's counters.
 *
 * @param name the URL without user info and query, as the metrics label
 * @param pending events in the log this webhook has not got past yet
 * @param sent events acknowledged with a 2xx
 * @param failures POSTs answered otherwise, or not at all
 * @param skippedSegments log segments deleted (by {@code events.max-size}) before it read them
 */
public record WebhookStats(String name, long pending, long sent, long failures, long skippedSegments) {}
