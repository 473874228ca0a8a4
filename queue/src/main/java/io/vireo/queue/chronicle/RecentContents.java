package io.vireo.queue.chronicle;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.vireo.queue.MessageContent;
import io.vireo.queue.MessageId;
import java.util.Optional;

/**
 * The contents of recently stored messages, kept in memory until their last recipient is final, so
 * that delivering a message moments after it was accepted does not read it back from the journal (a
 * new tailer, an index walk and a CRC pass per delivery in the end-to-end profile). Bounded by the
 * total size of the contents it holds; a message that does not fit, or that was evicted, is read from
 * the journal as before. The cache holds nothing the journal does not: it is filled only after a
 * store is durable, and contents are immutable.
 */
final class RecentContents {
  private final Cache<MessageId, MessageContent> contents;
  private final long maxEntryBytes;

  /**
   * @param maxBytes the most content, in octets, held at once; 0 turns the cache off
   */
  RecentContents(long maxBytes) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
    }
    // One large message may not push out hundreds of small ones that are about to be delivered.
    this.maxEntryBytes = maxBytes / 16;
    this.contents =
        Caffeine.newBuilder()
            .maximumWeight(maxBytes)
            .weigher((MessageId id, MessageContent content) -> weight(content))
            // Eviction bookkeeping on the caller's thread: no hand-off to the common pool per store.
            .executor(Runnable::run)
            .build();
  }

  /** Remembers the content of a message that is now durable in the journal. */
  void stored(MessageId id, MessageContent content) {
    if (content.size() <= maxEntryBytes) {
      contents.put(id, content);
    }
  }

  Optional<MessageContent> get(MessageId id) {
    return Optional.ofNullable(contents.getIfPresent(id));
  }

  /** Forgets a message whose every recipient is final: nobody will deliver it again. */
  void finished(MessageId id) {
    contents.invalidate(id);
  }

  /** How many contents are held now (for tests and inspection). */
  long size() {
    contents.cleanUp();
    return contents.estimatedSize();
  }

  private static int weight(MessageContent content) {
    return (int) Math.min(Integer.MAX_VALUE, content.size());
  }
}
