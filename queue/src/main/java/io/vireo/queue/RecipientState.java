package io.vireo.queue;

/** Where one recipient of a queued message stands. */
public enum RecipientState {
  PENDING,
  DEFERRED,
  FAILED,
  DELIVERED,
  BOUNCED,
  /** Held by the operator ({@code vireo queue hold}): not attempted until released. */
  HELD,
  /** Removed by the operator ({@code vireo queue delete}) without a report to the sender: final. */
  DELETED;

  /** Nothing more will be done for this recipient. */
  public boolean isFinal() {
    return this == DELIVERED || this == BOUNCED || this == DELETED;
  }
}
