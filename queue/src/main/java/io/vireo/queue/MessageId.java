package io.vireo.queue;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A queued message's identifier: 20 characters of Crockford base32, time-ordered (the first 10 encode
 * the arrival time in milliseconds, the rest are a per-process sequence and random bits), so ids sort
 * by arrival and a person can grep for one in the logs.
 */
public record MessageId(String value) implements Comparable<MessageId> {
  private static final Pattern FORM = Pattern.compile("[0-9A-HJKMNP-TV-Z]{20}");

  public MessageId {
    Objects.requireNonNull(value, "value");
    if (!FORM.matcher(value).matches()) {
      throw new IllegalArgumentException("not a message id: " + value);
    }
  }

  public static boolean isValid(String text) {
    return text != null && FORM.matcher(text).matches();
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
