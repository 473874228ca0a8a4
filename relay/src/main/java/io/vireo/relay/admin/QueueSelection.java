package io.vireo.relay.admin;

import io.vireo.queue.MessageId;
import io.vireo.queue.QueuedMessage;
import io.vireo.queue.RecipientStatus;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which recipients a queue operation acts on: one message's, those matching a sender, recipient
 * and domain filter, or all; in every case only those not yet final.
 */
public sealed interface QueueSelection {
  record One(MessageId id) implements QueueSelection {}

  /**
   * Messages whose sender contains {@code sender}, and of them the recipients whose address
   * contains {@code recipient} and whose domain is {@code domain}; null matches anything, and at
   * least one is given. All three are lower case.
   */
  record Match(String sender, String recipient, String domain) implements QueueSelection {
    public Match {
      if (sender == null && recipient == null && domain == null) {
        throw new IllegalArgumentException("a match needs a sender, a recipient or a domain");
      }
    }

    /** Every recipient of {@code domain}. */
    public static Match domain(String domain) {
      return new Match(null, null, domain);
    }
  }

  record All() implements QueueSelection {}

  /** The recipients of {@code message} this selection names and that are not final. */
  default List<RecipientStatus> recipients(QueuedMessage message) {
    return message.recipients().stream()
        .filter(r -> !r.state().isFinal())
        .filter(
            r ->
                switch (this) {
                  case One one -> one.id().equals(message.id());
                  case Match m ->
                      (m.sender() == null
                              || message.envelope().sender().toLowerCase(Locale.ROOT).contains(m.sender()))
                          && (m.recipient() == null
                              || r.recipient().address().toLowerCase(Locale.ROOT).contains(m.recipient()))
                          && (m.domain() == null || r.recipient().domain().equalsIgnoreCase(m.domain()));
                  case All all -> true;
                })
        .toList();
  }

  /**
   * Exactly one of {@code id=ID}, a filter ({@code sender=}, {@code recipient=}, {@code domain=},
   * any of them together) or {@code all=true}.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  static QueueSelection parse(Map<String, String> query) {
    String id = query.get("id");
    String sender = lower(query.get("sender"));
    String recipient = lower(query.get("recipient"));
    String domain = lower(query.get("domain"));
    boolean filter = sender != null || recipient != null || domain != null;
    boolean all = "true".equals(query.get("all"));
    int given = (id != null ? 1 : 0) + (filter ? 1 : 0) + (all ? 1 : 0);
    if (given != 1) {
      throw new IllegalArgumentException(
          "name exactly one of id=ID, a filter (domain=, sender=, recipient=) or all=true");
    }
    if (id != null) {
      if (!MessageId.isValid(id)) {
        throw new IllegalArgumentException("not a queue id: " + id);
      }
      return new One(new MessageId(id));
    }
    if (filter) {
      return new Match(sender, recipient, domain);
    }
    return new All();
  }

  private static String lower(String text) {
    return text == null || text.isBlank() ? null : text.strip().toLowerCase(Locale.ROOT);
  }

  /** For the log: the id, the filter, or "all". */
  default String describe() {
    return switch (this) {
      case One one -> one.id().value();
      case Match m ->
          String.join(
              " ",
              java.util.stream.Stream.of(
                      m.sender() == null ? null : "sender " + m.sender(),
                      m.recipient() == null ? null : "recipient " + m.recipient(),
                      m.domain() == null ? null : "domain " + m.domain())
                  .filter(java.util.Objects::nonNull)
                  .toList());
      case All all -> "all";
    };
  }
}
