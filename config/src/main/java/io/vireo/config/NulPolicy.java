package io.vireo.config;

/**
 * {@code limits.nul}: what the listener does with a NUL octet in message content. It is never
 * passed on: a next hop that strips NUL could see an end of data the relay did not.
 */
public enum NulPolicy {
  /** Refuse the message with 554 5.6.0. */
  REJECT,
  /** Remove the NUL octets and accept the rest. */
  STRIP
}
