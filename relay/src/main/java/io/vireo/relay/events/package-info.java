/**
 * Events: every recipient state change (received, delivered, deferred, bounced, expired,
 * suppressed) as a JSON object, written to a JSON-lines log ({@link EventLog}) that is also the
 * durable queue the webhooks ({@code events.webhook}) are sent from.
 *
 * <p>Data flow: a part (intake, delivery outcomes, the suppression gate) reports a {@link
 * RecipientEvent} to an {@link EventSink}; the {@link EventHub} adds the submission's tags and
 * metadata ({@link LabelLookup}), gives it a stable id and appends it to the log, then tells its
 * listeners (the suppression rules); each webhook's dispatcher reads the log from its own cursor.
 * The {@link EventIndex} beside the log maps queue ids to lines, so {@link EventLog#of} (the
 * {@link EventHistory} of {@code GET /v1/messages/{id}}) finds a message's events without a scan.
 */
package io.vireo.relay.events;
