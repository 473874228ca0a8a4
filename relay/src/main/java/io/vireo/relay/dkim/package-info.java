/**
 * DKIM signing (RFC 6376, with Ed25519 from RFC 8463) of messages at acceptance, by the domain of
 * their From header. Hashes and signatures are the JDK's; PEM keys are read with Bouncy Castle.
 */
package io.vireo.relay.dkim;
