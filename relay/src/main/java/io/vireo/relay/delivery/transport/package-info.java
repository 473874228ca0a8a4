/**
 * Transport: how a recipient's mail leaves, as routing chose it.
 *
 * <ul>
 *   <li>{@link io.vireo.relay.delivery.transport.Router} gives each recipient domain a {@link
 *       io.vireo.relay.delivery.transport.Routing} verdict: deliver through a destination and a
 *       {@link io.vireo.relay.delivery.transport.Transport}, fail, or defer.
 *   <li>{@link io.vireo.relay.delivery.transport.Transport} is the seam: SMTP to a smarthost or the
 *       MX hosts ({@link io.vireo.relay.delivery.transport.NextHops}, sent by the client in {@link
 *       io.vireo.relay.delivery.smtp}), or a local or capture mailbox ({@link
 *       io.vireo.relay.delivery.transport.MailboxTransport}).
 *   <li>{@link io.vireo.relay.delivery.transport.OutboundMessages} prepares a spooled message for
 *       one SMTP server (8-bit downgrade, SMTPUTF8, DSN parameters).
 * </ul>
 */
package io.vireo.relay.delivery.transport;
