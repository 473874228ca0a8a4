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

/** Renders one queued message for people ({@code vireo queue show}); JSON is {@code QueueJson}. */
final class QueueFormat {
  /** Headers longer than this are cut in {@code queue show}; the body is never printed. */
  private static final int MAX_HEADER_LINES = 200;

  private QueueFormat() {}

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
