/**
 * Local mailboxes as the relay sees them: which users an address of a {@code local.domains} domain
 * names ({@link io.vireo.relay.local.LocalAddresses}), the quota, and writing a message into a
 * user's Maildir through the mailbox module's store ({@link io.vireo.relay.local.LocalDelivery}).
 * The SMTP session asks it at RCPT; the delivery engine's local and capture transports deliver
 * through it.
 */
package io.vireo.relay.local;
