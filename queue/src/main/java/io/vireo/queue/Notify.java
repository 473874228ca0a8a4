package io.vireo.queue;

/** RCPT TO NOTIFY= values (RFC 3461 section 4.1); NEVER excludes the others. */
public enum Notify {
  NEVER,
  SUCCESS,
  FAILURE,
  DELAY
}
