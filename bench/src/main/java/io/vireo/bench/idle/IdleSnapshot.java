package io.vireo.bench.idle;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * Counts of an {@link IdleFleet} at one instant: sessions {@code opened} (greeted and past EHLO),
 * {@code failed} to open (by cause), {@code dropped} by the server after opening, and {@code open}
 * right now.
 */
public record IdleSnapshot(
    int requested, long opened, long failed, long dropped, long open, Map<String, Long> failures) {

  public IdleSnapshot {
    failures = Map.copyOf(failures);
  }

  /** True once every requested session either opened or failed. */
  public boolean settled() {
    return opened + failed >= requested;
  }

  /** Failures as {@code cause=count} pairs sorted by cause, or {@code none}. */
  public String failuresText() {
    if (failures.isEmpty()) {
      return "none";
    }
    return failures.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(" "));
  }
}
