package io.vireo.relay.app;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.vireo.queue.Envelope;
import io.vireo.queue.QueuedMessage;
import io.vireo.queue.RecipientStatus;
import io.vireo.queue.StoredMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/** Renders queue views for people (a table, like mailq) and for tools (JSON). */
final class QueueFormat {
  /** Headers longer than this are cut in {@code queue show}; the body is never printed. */
  private static final int MAX_HEADER_LINES = 200;

  private QueueFormat() {}

  static void writeTable(List<QueuedMessage> messages, PrintWriter out) {
    out.printf("%-20s %10s  %-24s  %-30s  %s%n", "ID", "SIZE", "ARRIVAL", "SENDER", "RECIPIENTS");
    for (QueuedMessage message : messages) {
      Envelope envelope = message.envelope();
      out.printf(
          "%-20s %10d  %-24s  %-30s  %s%n",
          message.id(),
          message.size(),
          envelope.arrival(),
          "<" + envelope.sender() + ">",
          summary(message.recipients()));
    }
    out.printf("-- %d message%s%n", messages.size(), messages.size() == 1 ? "" : "s");
  }

  private static String summary(List<RecipientStatus> recipients) {
    StringBuilder text = new StringBuilder();
    for (RecipientStatus recipient : recipients) {
      if (!text.isEmpty()) {
        text.append(", ");
      }
      text.append(recipient.recipient().address())
          .append(" (")
          .append(recipient.state().name().toLowerCase(java.util.Locale.ROOT))
          .append(')');
    }
    return text.toString();
  }

  static void writeJson(List<QueuedMessage> messages, PrintWriter out) throws IOException {
    try (JsonGenerator json = new JsonFactory().createGenerator(out)) {
      json.useDefaultPrettyPrinter();
      json.writeStartObject();
      json.writeNumberField("count", messages.size());
      json.writeArrayFieldStart("messages");
      for (QueuedMessage message : messages) {
        writeMessage(json, message);
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    out.println();
  }

  private static void writeMessage(JsonGenerator json, QueuedMessage message) throws IOException {
    Envelope envelope = message.envelope();
    json.writeStartObject();
    json.writeStringField("id", message.id().value());
    json.writeStringField("sender", envelope.sender());
    json.writeNumberField("size", message.size());
    json.writeStringField("arrival", envelope.arrival().toString());
    json.writeStringField("client", envelope.clientAddress());
    json.writeStringField("helo", envelope.heloName());
    json.writeStringField("body", envelope.bodyType().name());
    json.writeBooleanField("smtputf8", envelope.smtpUtf8());
    json.writeArrayFieldStart("recipients");
    for (RecipientStatus recipient : message.recipients()) {
      json.writeStartObject();
      json.writeStringField("address", recipient.recipient().address());
      json.writeStringField("state", recipient.state().name().toLowerCase(java.util.Locale.ROOT));
      json.writeNumberField("attempts", recipient.attempts());
      if (recipient.nextAttempt() != null) {
        json.writeStringField("nextAttempt", recipient.nextAttempt().toString());
      }
      if (recipient.lastReply() != null) {
        json.writeStringField("lastReply", recipient.lastReply());
      }
      json.writeEndObject();
    }
    json.writeEndArray();
    json.writeEndObject();
  }

  static void writeDetail(QueuedMessage message, Optional<StoredMessage> stored, PrintWriter out)
      throws IOException {
    Envelope envelope = message.envelope();
    out.printf("id:        %s%n", message.id());
    out.printf("arrival:   %s%n", envelope.arrival());
    out.printf("size:      %d%n", message.size());
    out.printf("sender:    <%s>%n", envelope.sender());
    out.printf("client:    [%s] helo=%s%n", envelope.clientAddress(), envelope.heloName());
    out.printf(
        "body:      %s%s ret=%s envid=%s%n",
        envelope.bodyType(),
        envelope.smtpUtf8() ? " SMTPUTF8" : "",
        envelope.ret(),
        envelope.envelopeId() == null ? "-" : envelope.envelopeId());
    for (RecipientStatus recipient : message.recipients()) {
      out.printf(
          "recipient: <%s> %s attempts=%d next=%s%s%n",
          recipient.recipient().address(),
          recipient.state().name().toLowerCase(java.util.Locale.ROOT),
          recipient.attempts(),
          recipient.nextAttempt() == null ? "-" : recipient.nextAttempt(),
          recipient.lastReply() == null ? "" : " last=\"" + recipient.lastReply() + "\"");
    }
    if (stored.isPresent()) {
      out.println();
      try (BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(stored.get().content().openStream(), StandardCharsets.UTF_8))) {
        int lines = 0;
        for (String line = reader.readLine(); line != null && !line.isEmpty(); line = reader.readLine()) {
          if (++lines > MAX_HEADER_LINES) {
            out.println("[... more headers]");
            break;
          }
          out.println(line);
        }
      }
    }
  }
}
