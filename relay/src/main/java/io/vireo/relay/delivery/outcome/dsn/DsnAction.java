package io.vireo.relay.delivery.outcome.dsn;

import java.util.Locale;

/** The Action field of a per-recipient DSN block (RFC 3464 section 2.3.3). */
public enum DsnAction {
  /** The message could not be delivered and will not be retried. */
  FAILED,
  /** Delivery has not succeeded yet and is still being retried. */
  DELAYED,
  /** Delivered to the recipient's mailbox by this MTA. */
  DELIVERED,
  /** Handed to a next hop that does not return DSNs, so no further notice will come. */
  RELAYED,
  /** Delivered to an alias or list that expanded to further recipients. */
  EXPANDED;

  /** The value as written in the delivery-status field, e.g. {@code failed}. */
  public String fieldValue() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether this action reports success (RFC 3461 section 4.1 ties these to NOTIFY=SUCCESS). */
  public boolean isSuccess() {
    return this == DELIVERED || this == RELAYED || this == EXPANDED;
  }
}
