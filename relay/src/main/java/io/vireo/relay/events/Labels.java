package io.vireo.relay.events;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The tags and metadata an application gave a submission: the HTTP API stores them with the
 * message and answers them in its status, and each event about the message carries them.
 */
public record Labels(List<String> tags, Map<String, String> metadata) {
  public static final Labels NONE = new Labels(List.of(), Map.of());

  public Labels {
    tags = List.copyOf(tags);
    // Sorted, so the same labels always give the same JSON.
    metadata = java.util.Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(metadata)));
  }

  public boolean isEmpty() {
    return tags.isEmpty() && metadata.isEmpty();
  }
}
