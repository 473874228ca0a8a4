package io.vireo.mailbox.access;

/** What a login attempt came to; a closed set so each protocol maps every case to its reply. */
public sealed interface Login {
  /** The password matched: the session is now this user's. */
  record Accepted(String user) implements Login {}

  /** Wrong user name or password (the two are not told apart). */
  record Rejected() implements Login {}

  /** Too many recent failures from this address or for this user: try again later. */
  record Throttled() implements Login {}

  /** Locked out for a while: the session should end. */
  record LockedOut() implements Login {}
}
