package io.vireo.relay.admin;

import io.vireo.queue.MessageId;
import io.vireo.queue.QueuedMessage;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The queue a page at a time, in id order ({@code Spool::pendingPage}, {@link QueueControl#page}),
 * so a listing, a summary or a change walks a million messages holding one page of them.
 */
@FunctionalInterface
public interface QueuePages {
  /**
   * Messages per page: small enough to hold (about 4 MB of them), large enough that a walk of a
   * million messages scans the index only a hundred times (each page is one scan).
   */
  int PAGE = 10_000;

  /** Up to {@code max} messages with ids above {@code after} (null: from the first). */
  List<QueuedMessage> page(MessageId after, int max);

  /** Every message with an id above {@code after}, fetched a page at a time as it is iterated. */
  static Iterable<QueuedMessage> walk(QueuePages pages, MessageId after) {
    return () ->
        new Iterator<>() {
          private List<QueuedMessage> page = pages.page(after, PAGE);
          private int next;

          @Override
          public boolean hasNext() {
            if (next < page.size()) {
              return true;
            }
            if (page.size() < PAGE) {
              return false;
            }
            page = pages.page(page.getLast().id(), PAGE);
            next = 0;
            return !page.isEmpty();
          }

          @Override
          public QueuedMessage next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            return page.get(next++);
          }
        };
  }
}
