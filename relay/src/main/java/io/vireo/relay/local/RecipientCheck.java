package io.vireo.relay.local;

/** What local delivery says about a recipient at RCPT time: a closed set. */
public sealed interface RecipientCheck {
  /** Not a local domain: the relay rules decide. */
  record NotLocal() implements RecipientCheck {}

  /** A local address with a mailbox that has room. */
  record Accept() implements RecipientCheck {}

  /** A local domain, but nobody by that address: 550 5.1.1. */
  record Unknown() implements RecipientCheck {}

  /** A mailbox of the address is already at its quota: 452 4.2.2, the client tries later. */
  record OverQuota(String user) implements RecipientCheck {}
}
