package io.vireo.queue;

import java.util.Objects;
import java.util.Set;

/**
 * One envelope recipient with its DSN parameters (RFC 3461).
 *
 * @param address the forward-path without angle brackets, e.g. {@code user@example.com}
 * @param notifications NOTIFY values; empty when the client gave none (the default then is FAILURE)
 * @param originalRecipient the ORCPT parameter as given ({@code rfc822;user@example.com}), or null
 */
public record Recipient(String address, Set<Notify> notifications, String originalRecipient) {
  public Recipient {
    Objects.requireNonNull(address, "address");
    notifications = Set.copyOf(notifications);
  }

  public static Recipient of(String address) {
    return new Recipient(address, Set.of(), null);
  }

  /** The part after the last {@code @}, lower-cased: what routing and MX lookup key on. */
  public String domain() {
    int at = address.lastIndexOf('@');
    return at < 0 ? "" : address.substring(at + 1).toLowerCase(java.util.Locale.ROOT);
  }
}
