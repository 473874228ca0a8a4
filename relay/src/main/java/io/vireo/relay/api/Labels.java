package io.vireo.relay.api;

import java.util.List;
import java.util.Map;

/** The tags and metadata an application gave a message, for the events about it. */
public record Labels(List<String> tags, Map<String, String> metadata) {
  public static final Labels NONE = new Labels(List.of(), Map.of());

  public Labels {
    tags = List.copyOf(tags);
    metadata = Map.copyOf(metadata);
  }

  public boolean isEmpty() {
    return tags.isEmpty() && metadata.isEmpty();
  }
}
