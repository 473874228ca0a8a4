package io.vireo.relay.delivery.outcome;

import io.vireo.queue.MessageContent;
import io.vireo.queue.MessageId;
import io.vireo.queue.Spool;
import io.vireo.queue.StoredMessage;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A message's content for reports, read from the spool only if a report needs it (most outcomes
 * don't) and then kept. Used by one thread.
 */
public final class ContentSource {
  private static final Logger log = LoggerFactory.getLogger(ContentSource.class);

  private final Spool spool;
  private final MessageId id;
  private Optional<MessageContent> content;

  private ContentSource(Spool spool, MessageId id, Optional<MessageContent> content) {
    this.spool = spool;
    this.id = id;
    this.content = content;
  }

  public static ContentSource of(MessageContent content) {
    return new ContentSource(null, null, Optional.of(content));
  }

  public static ContentSource fromSpool(Spool spool, MessageId id) {
    return new ContentSource(spool, id, null);
  }

  Optional<MessageContent> get() {
    if (content == null) {
      try {
        content = spool.read(id).map(StoredMessage::content);
      } catch (RuntimeException e) {
        log.warn("{}: cannot read the message for a delivery report: {}", id, e.toString());
        return Optional.empty(); // not cached: a later call may succeed
      }
    }
    return content;
  }
}
