/**
 * Webhooks: each {@code webhooks} entry gets a {@link WebhookDispatcher} that reads the event log
 * from its own durable cursor ({@link WebhookCursor}), POSTs the events it wants (one object, or a
 * JSON array when several are waiting) signed by {@link WebhookSignature}, and moves its cursor
 * only after a 2xx; anything else is retried with backoff. At least once, in log order (so in
 * order per message); the event id lets a receiver drop repeats.
 */
package io.vireo.relay.webhooks;
