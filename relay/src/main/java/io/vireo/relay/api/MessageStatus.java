package io.vireo.relay.api;

import io.vireo.queue.MessageId;
import io.vireo.queue.QueuedMessage;
import io.vireo.queue.RecipientStatus;
import io.vireo.queue.Spool;
import io.vireo.relay.events.EventJson;
import io.vireo.relay.events.Labels;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code GET /v1/messages/{id}}: what the spool knows of one message, per recipient its state,
 * attempts so far, next attempt and the last remote reply (the spool keeps the last reply of each
 * recipient, not every attempt's).
 */
final class MessageStatus {
  private final Spool spool;
  private final SubmissionLabels labels;

  MessageStatus(Spool spool, SubmissionLabels labels) {
    this.spool = spool;
    this.labels = labels;
  }

  Answer show(String idText) {
    if (!MessageId.isValid(idText)) {
      return Answer.of(ApiError.notFound("no such message: " + idText));
    }
    MessageId id = new MessageId(idText);
    Optional<QueuedMessage> found = spool.find(id);
    if (found.isEmpty()) {
      return Answer.of(ApiError.notFound("no such message in the spool: " + idText));
    }
    QueuedMessage message = found.get();
    Labels labelled = labels.labels(id).orElse(Labels.NONE);
    return new Answer(
        200,
        JsonText.object(
            json -> {
              json.writeStringField("id", idText);
              json.writeStringField("from", message.envelope().sender());
              json.writeStringField("arrival", message.envelope().arrival().toString());
              json.writeNumberField("size", message.size());
              json.writeStringField("state", message.isFinal() ? "done" : "queued");
              EventJson.writeLabels(json, labelled);
              json.writeArrayFieldStart("recipients");
              for (RecipientStatus recipient : message.recipients()) {
                json.writeStartObject();
                json.writeStringField("address", recipient.recipient().address());
                json.writeStringField("state", recipient.state().name().toLowerCase(Locale.ROOT));
                json.writeNumberField("attempts", recipient.attempts());
                if (recipient.nextAttempt() != null && !recipient.state().isFinal()) {
                  json.writeStringField("next_attempt", recipient.nextAttempt().toString());
                }
                if (recipient.lastReply() != null) {
                  json.writeStringField("last_reply", recipient.lastReply());
                }
                json.writeEndObject();
              }
              json.writeEndArray();
            }));
  }
}
