package io.vireo.queue.chronicle;

import java.util.HashMap;
import java.util.Map;

/**
 * Shares equal values among the envelopes recovery decodes: senders, client addresses, HELO names
 * and recipient lists repeat across a backlog, and one copy of each shrinks the index and the
 * garbage collector's work. Bounded, so a backlog of all-distinct values costs little more than no
 * pool at all. Single-threaded.
 */
final class ValuePool {
  /** Enough for the distinct senders, clients and recipient lists of a large, varied backlog. */
  static final int RECOVERY_CAPACITY = 100_000;

  private final Map<Object, Object> values = new HashMap<>();
  private final int capacity;

  ValuePool(int capacity) {
    this.capacity = capacity;
  }

  /** A pool that shares nothing, for decoding a single record. */
  static ValuePool none() {
    return new ValuePool(0);
  }

  /**
   * The pooled instance equal to {@code value} (an immutable value type), or {@code value} itself.
   */
  @SuppressWarnings("unchecked")
  <T> T intern(T value) {
    if (value == null) {
      return null;
    }
    Object pooled = values.get(value);
    if (pooled != null) {
      return (T) pooled;
    }
    if (values.size() < capacity) {
      values.put(value, value);
    }
    return value;
  }
}
