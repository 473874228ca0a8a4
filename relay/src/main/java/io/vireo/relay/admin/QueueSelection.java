package io.vireo.relay.admin;

import io.vireo.queue.MessageId;
import io.vireo.queue.QueuedMessage;
import io.vireo.queue.RecipientStatus;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which recipients a queue operation acts on: one message's, one recipient domain's, or all; in
 * every case only those not yet final.
 */
public sealed interface QueueSelection {
  record One(MessageId id) implements QueueSelection {}

  record Domain(String domain) implements QueueSelection {}

  record All() implements QueueSelection {}

  /** The recipients of {@code message} this selection names and that are not final. */
  default List<RecipientStatus> recipients(QueuedMessage message) {
    return message.recipients().stream()
        .filter(r -> !r.state().isFinal())
        .filter(
            r ->
                switch (this) {
                  case One one -> one.id().equals(message.id());
                  case Domain d -> r.recipient().domain().equalsIgnoreCase(d.domain());
                  case All all -> true;
                })
        .toList();
  }

  /**
   * Exactly one of {@code id=ID}, {@code domain=D} or {@code all=true}.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  static QueueSelection parse(Map<String, String> query) {
    String id = query.get("id");
    String domain = query.get("domain");
    boolean all = "true".equals(query.get("all"));
    int given = (id != null ? 1 : 0) + (domain != null ? 1 : 0) + (all ? 1 : 0);
    if (given != 1) {
      throw new IllegalArgumentException("name exactly one of id=ID, domain=DOMAIN or all=true");
    }
    if (id != null) {
      if (!MessageId.isValid(id)) {
        throw new IllegalArgumentException("not a queue id: " + id);
      }
      return new One(new MessageId(id));
    }
    if (domain != null) {
      if (domain.isBlank()) {
        throw new IllegalArgumentException("domain is empty");
      }
      return new Domain(domain.toLowerCase(Locale.ROOT));
    }
    return new All();
  }
}
