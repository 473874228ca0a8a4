package io.vireo.relay.delivery.outcome.dsn;

import io.vireo.queue.Recipient;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What happened to one recipient of a message, as reported in one per-recipient block of a delivery
 * status notification (RFC 3464 section 2.3).
 *
 * @param recipient the envelope recipient, with its NOTIFY and ORCPT parameters
 * @param action what the report says happened
 * @param status the enhanced status code (RFC 3463), e.g. {@code 5.1.1}; its class must fit the
 *     action: 2 for success actions, 4 for delayed, 4 or 5 for failed (an expired message keeps its
 *     last transient code)
 * @param remoteMta the MTA that gave the final reply, e.g. {@code dns; mx.example.com}, or null
 *     when no server was reached; a value without a type gets {@code dns;}
 * @param diagnosticCode the remote reply, e.g. {@code smtp; 550 5.1.1 No such user}, or null; a
 *     value without a type gets {@code smtp;}
 * @param lastAttempt when delivery was last tried, or null
 * @param willRetryUntil for {@link DsnAction#DELAYED}: when the relay gives up, or null
 */
public record RecipientReport(
    Recipient recipient,
    DsnAction action,
    String status,
    String remoteMta,
    String diagnosticCode,
    Instant lastAttempt,
    Instant willRetryUntil) {

  // RFC 3463 section 2: class "." subject "." detail, subject and detail at most three digits.
  private static final Pattern STATUS = Pattern.compile("[245]\\.\\d{1,3}\\.\\d{1,3}");

  public RecipientReport {
    Objects.requireNonNull(recipient, "recipient");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(status, "status");
    if (!STATUS.matcher(status).matches()) {
      throw new IllegalArgumentException("not an enhanced status code: " + status);
    }
    char statusClass = status.charAt(0);
    boolean fits =
        switch (action) {
          case FAILED -> statusClass == '5' || statusClass == '4';
          case DELAYED -> statusClass == '4';
          case DELIVERED, RELAYED, EXPANDED -> statusClass == '2';
        };
    if (!fits) {
      throw new IllegalArgumentException("status " + status + " does not fit action " + action);
    }
  }

  /** A permanent failure, e.g. after a 5xx reply. */
  public static RecipientReport failed(
      Recipient recipient,
      String status,
      String remoteMta,
      String diagnosticCode,
      Instant lastAttempt) {
    return new RecipientReport(
        recipient, DsnAction.FAILED, status, remoteMta, diagnosticCode, lastAttempt, null);
  }

  /**
   * Handed on to a next hop that sends no delivery reports (RFC 3461 section 5.2.2): the last
   * report the sender will get for this recipient, sent because NOTIFY asked for SUCCESS.
   */
  public static RecipientReport relayed(
      Recipient recipient, String status, String remoteMta, String diagnosticCode, Instant at) {
    return new RecipientReport(
        recipient, DsnAction.RELAYED, status, remoteMta, diagnosticCode, at, null);
  }

  /**
   * Delivered into a local mailbox by this relay (RFC 3461 section 6.2), sent because NOTIFY asked
   * for SUCCESS; no remote MTA was involved.
   */
  public static RecipientReport delivered(
      Recipient recipient, String status, String diagnosticCode, Instant at) {
    return new RecipientReport(
        recipient, DsnAction.DELIVERED, status, null, diagnosticCode, at, null);
  }

  /** A delay notice: still queued and retried until {@code willRetryUntil}. */
  public static RecipientReport delayed(
      Recipient recipient,
      String status,
      String remoteMta,
      String diagnosticCode,
      Instant lastAttempt,
      Instant willRetryUntil) {
    return new RecipientReport(
        recipient,
        DsnAction.DELAYED,
        status,
        remoteMta,
        diagnosticCode,
        lastAttempt,
        willRetryUntil);
  }
}
