package io.vireo.queue;

import java.util.Objects;

/**
 * A queued message's identifier: 20 characters of Crockford base32, time-ordered (the first 10
 * encode the arrival time in milliseconds, the rest are a per-process sequence and random bits), so
 * ids sort by arrival and a person can grep for one in the logs.
 */
public record MessageId(String value) implements Comparable<MessageId> {
  private static final int LENGTH = 20;

  /** The Crockford base32 digits, {@code [0-9A-HJKMNP-TV-Z]}: no I, L, O or U. */
  private static final String DIGITS = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

  public MessageId {
    Objects.requireNonNull(value, "value");
    if (!isValid(value)) {
      throw new IllegalArgumentException("not a message id: " + value);
    }
  }

  public static boolean isValid(String text) {
    // A loop rather than a regex: recovery checks a million ids at startup.
    if (text == null || text.length() != LENGTH) {
      return false;
    }
    for (int i = 0; i < LENGTH; i++) {
      if (DIGITS.indexOf(text.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int compareTo(MessageId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
