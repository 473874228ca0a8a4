/**
 * Delivery status notifications and 8-bit downgrade: what the delivery path needs when a message
 * cannot simply be handed to the next hop.
 *
 * <ul>
 *   <li>{@link io.vireo.relay.delivery.outcome.dsn.DsnComposer} turns per-recipient outcomes
 *       ({@link io.vireo.relay.delivery.outcome.dsn.RecipientReport}) into an RFC 3464 {@code
 *       multipart/report} message from the null sender to the original sender; the caller spools
 *       the resulting {@link io.vireo.relay.delivery.outcome.dsn.Bounce} so it is delivered like
 *       any other message.
 *   <li>{@link io.vireo.relay.delivery.outcome.dsn.NotifyPolicy} applies RFC 3461 NOTIFY rules and
 *       the null-sender rule: which outcomes are owed a report at all.
 *   <li>{@link io.vireo.relay.delivery.outcome.dsn.EightBitDowngrader} re-encodes 8-bit MIME parts
 *       as quoted-printable or base64 for a server without 8BITMIME (RFC 6152), or says why it
 *       cannot (the caller then fails the recipients with 5.6.3). Transport uses it before sending,
 *       and DKIM signing before signing.
 * </ul>
 *
 * <p>Nothing here does I/O or keeps state between calls; time comes from an injected clock.
 */
package io.vireo.relay.delivery.outcome.dsn;
