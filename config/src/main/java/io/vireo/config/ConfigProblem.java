package io.vireo.config;

import java.util.Objects;

/**
 * One thing wrong with a configuration file.
 *
 * @param key dotted key path such as {@code limits.max-message-size} or {@code
 *     delivery.routes[0].via}; empty when the problem is not about one key (unreadable file, broken
 *     YAML)
 * @param line 1-based line of the offending value, or 0 when there is no position
 * @param column 1-based column of the offending value, or 0 when there is no position
 * @param message what is wrong and what would be accepted
 */
public record ConfigProblem(String key, int line, int column, String message) {
  public ConfigProblem {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(message, "message");
  }

  /**
   * Renders as {@code source:line:column: key: message}, leaving out the parts that are unknown.
   */
  public String format(String sourceName) {
    StringBuilder out = new StringBuilder(sourceName);
    if (line > 0) {
      out.append(':').append(line).append(':').append(column);
    }
    out.append(": ");
    if (!key.isEmpty()) {
      out.append(key).append(": ");
    }
    return out.append(message).toString();
  }
}
