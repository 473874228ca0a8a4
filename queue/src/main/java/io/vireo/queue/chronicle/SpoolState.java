package io.vireo.queue.chronicle;

import io.vireo.queue.MessageId;
import io.vireo.queue.QueuedMessage;
import io.vireo.queue.SpoolEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.LongPredicate;

/**
 * The in-memory index of the spool: every message with a non-final recipient, plus a bounded set of
 * the most recently finished ones so a lookup shortly after delivery still answers. Only the
 * journal writer (or recovery, before the spool is published) mutates it; any thread may read it.
 */
final class SpoolState {
  /**
   * Finished messages remembered in memory; older ones are still found by scanning the journals.
   */
  static final int RECENT_FINAL_CAPACITY = 10_000;

  private static final Comparator<QueuedMessage> OLDEST_FIRST =
      Comparator.comparing((QueuedMessage m) -> m.envelope().arrival())
          .thenComparing(QueuedMessage::id);

  private final ConcurrentHashMap<MessageId, SpoolEntry> live = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<MessageId, SpoolEntry> recentFinal = new ConcurrentHashMap<>();

  /** Told each live message that becomes final; set once the spool is open. */
  private volatile Consumer<MessageId> onFinished = id -> {};

  /** Eviction order of {@link #recentFinal}; touched only by the mutating thread. */
  private final ArrayDeque<MessageId> finalOrder = new ArrayDeque<>();

  Optional<SpoolEntry> get(MessageId id) {
    SpoolEntry entry = live.get(id);
    return Optional.ofNullable(entry != null ? entry : recentFinal.get(id));
  }

  SpoolEntry live(MessageId id) {
    return live.get(id);
  }

  Collection<SpoolEntry> liveEntries() {
    return live.values();
  }

  int liveCount() {
    return live.size();
  }

  void onFinished(Consumer<MessageId> listener) {
    this.onFinished = java.util.Objects.requireNonNull(listener, "listener");
  }

  /** Adds a stored or carried-forward message, replacing any entry of the same id. */
  void put(SpoolEntry entry) {
    if (entry.isFinal()) {
      if (live.remove(entry.id()) != null) {
        try {
          onFinished.accept(entry.id());
        } catch (RuntimeException e) {
          // A listener's failure must not fail the writer that applied the event.
          org.slf4j.LoggerFactory.getLogger(SpoolState.class)
              .warn("finished-message listener failed for {}: {}", entry.id(), e.toString());
        }
      }
      rememberFinal(entry);
    } else {
      live.put(entry.id(), entry);
    }
  }

  /**
   * Applies a recorded event to its message. Events for messages that are unknown or already final
   * change nothing (a replay sees the same as the live run).
   */
  void apply(SpoolEvent event) {
    SpoolEntry entry = live.get(event.messageId());
    if (entry == null) {
      return;
    }
    SpoolEntry next = entry.apply(event);
    if (next != entry) {
      put(next);
    }
  }

  /** Drops remembered finished messages whose records sit in a deleted journal file. */
  void forgetFinalsIn(LongPredicate deletedIndex) {
    recentFinal
        .values()
        .removeIf(e -> deletedIndex.test(e.firstIndex()) || deletedIndex.test(e.envelopeIndex()));
    finalOrder.removeIf(id -> !recentFinal.containsKey(id));
  }

  /** Every message with a non-final recipient, oldest arrival first. Sorts a copy: O(n log n). */
  List<QueuedMessage> pending() {
    List<QueuedMessage> snapshot = new ArrayList<>(live.size());
    for (SpoolEntry entry : live.values()) {
      snapshot.add(entry.toQueuedMessage());
    }
    snapshot.sort(OLDEST_FIRST);
    return snapshot;
  }

  /**
   * The {@code max} lowest ids above {@code after} among the live messages, in id order: one scan
   * of the index keeping a heap of at most {@code max} entries, O(n log max) time and O(max)
   * memory, so a listing pages through a million messages without copying them all.
   */
  List<QueuedMessage> pendingPage(MessageId after, int max) {
    PriorityQueue<SpoolEntry> highestFirst =
        new PriorityQueue<>(Math.min(max, 1024), Comparator.comparing(SpoolEntry::id).reversed());
    for (SpoolEntry entry : live.values()) {
      if (after != null && entry.id().compareTo(after) <= 0) {
        continue;
      }
      if (highestFirst.size() < max) {
        highestFirst.add(entry);
      } else if (entry.id().compareTo(highestFirst.peek().id()) < 0) {
        highestFirst.poll();
        highestFirst.add(entry);
      }
    }
    List<QueuedMessage> page = new ArrayList<>(highestFirst.size());
    for (SpoolEntry entry : highestFirst) {
      page.add(entry.toQueuedMessage());
    }
    page.sort(Comparator.comparing(QueuedMessage::id));
    return page;
  }

  private void rememberFinal(SpoolEntry entry) {
    if (recentFinal.put(entry.id(), entry) == null) {
      finalOrder.addLast(entry.id());
      while (finalOrder.size() > RECENT_FINAL_CAPACITY) {
        recentFinal.remove(finalOrder.removeFirst());
      }
    }
  }
}
