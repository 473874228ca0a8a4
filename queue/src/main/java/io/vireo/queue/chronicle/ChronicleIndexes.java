package io.vireo.queue.chronicle;

/**
 * Conventions for Chronicle journal indexes (cycle number in the high bits, sequence in the low).
 */
final class ChronicleIndexes {
  /** "No index": no record yet, or content stored inline. Real indexes are never negative. */
  static final long NONE = -1L;

  private ChronicleIndexes() {}
}
