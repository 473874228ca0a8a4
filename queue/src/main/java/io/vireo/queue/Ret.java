package io.vireo.queue;

/** MAIL FROM RET= (RFC 3461 section 4.3): what a bounce carries of the original message. */
public enum Ret {
  /** Not given by the client: the relay's choice (headers). */
  UNSPECIFIED,
  HDRS,
  FULL
}
