package io.vireo.relay.events;

import io.vireo.queue.MessageId;

/**
 * Where a message's tags and metadata are kept (the HTTP API's store); SMTP submissions have none.
 * Called once per event, on the thread that reports it: it must be quick and must not block.
 */
@FunctionalInterface
public interface LabelLookup {
  /** No labels for any message. */
  LabelLookup NONE = id -> Labels.NONE;

  Labels labels(MessageId id);
}
