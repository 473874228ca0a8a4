package io.vireo.relay.protocol;

/**
 * An enhanced mail system status code {@code class.subject.detail} (RFC 3463), sent after the basic
 * reply code when ENHANCEDSTATUSCODES is advertised (RFC 2034).
 *
 * @param statusClass 2 (success), 4 (persistent transient failure) or 5 (permanent failure)
 * @param subject 0..999, e.g. 5 for protocol status
 * @param detail 0..999
 */
public record EnhancedStatus(int statusClass, int subject, int detail) {
  public EnhancedStatus {
    if (statusClass != 2 && statusClass != 4 && statusClass != 5) {
      throw new IllegalArgumentException("class must be 2, 4 or 5: " + statusClass);
    }
    if (subject < 0 || subject > 999 || detail < 0 || detail > 999) {
      throw new IllegalArgumentException("subject and detail must be 0..999");
    }
  }

  public static EnhancedStatus of(int statusClass, int subject, int detail) {
    return new EnhancedStatus(statusClass, subject, detail);
  }

  /**
   * Reads {@code class.subject.detail} as written in RFC 3463 section 2, e.g. {@code 5.1.1}.
   *
   * @throws IllegalArgumentException if {@code text} is not one
   */
  public static EnhancedStatus parse(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 3) {
      throw new IllegalArgumentException("not an enhanced status code: " + text);
    }
    for (String part : parts) {
      if (part.isEmpty()
          || part.length() > 3
          || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw new IllegalArgumentException("not an enhanced status code: " + text);
      }
    }
    return new EnhancedStatus(
        Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
  }

  @Override
  public String toString() {
    return statusClass + "." + subject + "." + detail;
  }
}
