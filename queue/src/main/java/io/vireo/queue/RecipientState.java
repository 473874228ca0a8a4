package io.vireo.queue;

/** Where one recipient of a queued message stands. */
public enum RecipientState {
  PENDING,
  DEFERRED,
  FAILED,
  DELIVERED,
  BOUNCED;

  /** Nothing more will be done for this recipient. */
  public boolean isFinal() {
    return this == DELIVERED || this == BOUNCED;
  }
}
