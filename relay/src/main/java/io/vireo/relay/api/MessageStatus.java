package io.vireo.relay.api;

import com.fasterxml.jackson.core.JsonGenerator;
import io.vireo.queue.MessageId;
import io.vireo.queue.QueuedMessage;
import io.vireo.queue.RecipientStatus;
import io.vireo.queue.Spool;
import io.vireo.relay.events.Event;
import io.vireo.relay.events.EventHistory;
import io.vireo.relay.events.Labels;
import io.vireo.relay.events.RecipientEvent;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code GET /v1/messages/{id}}: one message's current state per recipient (from the spool while
 * it holds the message, else from its events) and its history: every event of the event log about
 * it (received, each attempt with the remote reply and DSN code, the final outcome), through the
 * log's index. A key limited to sender domains sees only messages from those domains; others get
 * 404, as for a message that does not exist.
 */
final class MessageStatus {
  /** Events shown per message at most (the latest). */
  static final int MAX_HISTORY = 1000;

  private final Spool spool;
  private final SubmissionLabels labels;
  private final EventHistory history;

  MessageStatus(Spool spool, SubmissionLabels labels, EventHistory history) {
    this.spool = spool;
    this.labels = labels;
    this.history = history;
  }

  Answer show(ApiKey key, String idText) {
    if (!MessageId.isValid(idText)) {
      return notFound(idText);
    }
    MessageId id = new MessageId(idText);
    Optional<QueuedMessage> queued = spool.find(id);
    EventHistory.History events = history.of(id, MAX_HISTORY);
    Optional<MessageView> view =
        queued.map(MessageView::of).or(() -> MessageView.fromEvents(events.events()));
    if (view.isEmpty() || !key.allowsSender(view.get().sender())) {
      return notFound(idText);
    }
    Labels labelled = labels.labels(id).orElseGet(() -> fromEvents(events.events()));
    return new Answer(200, JsonText.object(json -> write(json, idText, view.get(), labelled, events)));
  }

  private static Answer notFound(String id) {
    return Answer.of(ApiError.notFound("no such message: " + id));
  }

  /** The labels the events carry: the label store keeps them only for the retry window. */
  private static Labels fromEvents(List<Event> events) {
    return events.isEmpty()
        ? Labels.NONE
        : new Labels(events.getFirst().labels().tags(), events.getFirst().labels().metadata());
  }

  private static void write(
      JsonGenerator json, String id, MessageView view, Labels labelled, EventHistory.History events)
      throws IOException {
    json.writeStringField("id", id);
    json.writeStringField("from", view.sender());
    json.writeStringField("arrival", view.arrival() == null ? null : view.arrival().toString());
    if (view.size() >= 0) {
      json.writeNumberField("size", view.size());
    } else {
      json.writeNullField("size");
    }
    json.writeStringField("state", view.isFinal() ? "done" : "queued");
    json.writeBooleanField("in_spool", view.inSpool());
    json.writeArrayFieldStart("tags");
    for (String tag : labelled.tags()) {
      json.writeString(tag);
    }
    json.writeEndArray();
    json.writeObjectFieldStart("metadata");
    for (var entry : labelled.metadata().entrySet()) {
      json.writeStringField(entry.getKey(), entry.getValue());
    }
    json.writeEndObject();
    json.writeArrayFieldStart("recipients");
    for (MessageView.Recipient recipient : view.recipients()) {
      json.writeStartObject();
      json.writeStringField("address", recipient.address());
      json.writeStringField("state", recipient.state());
      json.writeNumberField("attempts", recipient.attempts());
      if (recipient.nextAttempt() != null) {
        json.writeStringField("next_attempt", recipient.nextAttempt().toString());
      }
      if (recipient.lastReply() != null) {
        json.writeStringField("last_reply", recipient.lastReply());
      }
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeArrayFieldStart("history");
    for (Event event : events.events()) {
      RecipientEvent e = event.change();
      json.writeStartObject();
      json.writeStringField("event_id", event.eventId());
      json.writeStringField("time", e.time().toString());
      json.writeStringField("type", e.type().wireName());
      json.writeStringField("recipient", e.recipient());
      json.writeStringField("relay", e.relay());
      json.writeStringField("reply", e.reply());
      json.writeStringField("dsn", e.dsn());
      json.writeStringField("next_attempt", e.nextAttempt() == null ? null : e.nextAttempt().toString());
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeBooleanField("history_truncated", events.truncated());
  }

  /** What the answer says of a message, from the spool or rebuilt from its events. */
  record MessageView(
      String sender, Instant arrival, long size, boolean inSpool, List<Recipient> recipients) {
    record Recipient(String address, String state, int attempts, Instant nextAttempt, String lastReply) {
      boolean isFinal() {
        return state.equals("delivered") || state.equals("bounced") || state.equals("deleted");
      }
    }

    boolean isFinal() {
      return recipients.stream().allMatch(Recipient::isFinal);
    }

    static MessageView of(QueuedMessage message) {
      List<Recipient> recipients =
          message.recipients().stream()
              .map(
                  (RecipientStatus r) ->
                      new Recipient(
                          r.recipient().address(),
                          r.state().name().toLowerCase(Locale.ROOT),
                          r.attempts(),
                          r.state().isFinal() ? null : r.nextAttempt(),
                          r.lastReply()))
              .toList();
      return new MessageView(
          message.envelope().sender(),
          message.envelope().arrival(),
          message.size(),
          true,
          recipients);
    }

    /** A message the spool no longer holds, as its events tell it; empty without events. */
    static Optional<MessageView> fromEvents(List<Event> events) {
      if (events.isEmpty()) {
        return Optional.empty();
      }
      java.util.Map<String, Recipient> byAddress = new java.util.LinkedHashMap<>();
      Instant arrival = null;
      String sender = null;
      for (Event event : events) {
        RecipientEvent e = event.change();
        sender = sender == null ? e.sender() : sender;
        Recipient before = byAddress.get(e.recipient());
        int attempts = before == null ? 0 : before.attempts();
        String lastReply = before == null ? null : before.lastReply();
        String state =
            switch (e.type()) {
              case RECEIVED -> "pending";
              case DEFERRED, SUPPRESSED -> "deferred";
              case DELIVERED -> "delivered";
              case BOUNCED, EXPIRED -> "bounced";
            };
        if (e.type() == io.vireo.relay.events.EventType.RECEIVED) {
          arrival = arrival == null ? e.time() : arrival;
        } else {
          attempts++;
        }
        byAddress.put(
            e.recipient(),
            new Recipient(
                e.recipient(),
                state,
                attempts,
                state.equals("deferred") ? e.nextAttempt() : null,
                e.reply() != null ? e.reply() : lastReply));
      }
      return Optional.of(
          new MessageView(
              sender == null ? "" : sender, arrival, -1, false, List.copyOf(byAddress.values())));
    }
  }
}
