package io.vireo.relay.protocol;

/**
 * What the content readers do with a NUL octet in a message. RFC 5321 section 4.5.2 leaves NUL out
 * of what a message may carry, and some next hops strip it: a hop that strips NUL from {@code
 * <CRLF>.<NUL><CRLF>} sees an end of data where this server saw none, so NUL must never travel
 * on.
 */
public enum NulOctets {
  /** The message fails with 554 5.6.0 (the default). */
  REJECT,
  /** NUL octets are dropped and the rest of the message is kept. */
  STRIP
}
