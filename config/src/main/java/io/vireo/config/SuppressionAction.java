package io.vireo.config;

/** {@code suppression.action}: what happens to mail for a suppressed address. */
public enum SuppressionAction {
  /** Refused at RCPT with {@code 550 5.7.1}. */
  REFUSE,
  /** Accepted, then held in the queue (deferred) while the address stays suppressed. */
  HOLD
}
