package io.vireo.relay.suppression;

import io.vireo.relay.events.EventSink;
import io.vireo.relay.events.EventType;
import io.vireo.relay.events.RecipientEvent;
import io.vireo.relay.protocol.Replies;
import io.vireo.relay.protocol.SmtpReply;
import io.vireo.relay.server.RecipientCheck;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * {@code suppression.action: refuse}: a suppressed recipient gets {@code 550 5.7.1} at RCPT and a
 * {@code suppressed} event, whose {@code id} is null (no message was queued). With {@code hold}
 * delivery asks {@link #held} instead, and RCPT accepts.
 */
public final class SuppressionGate implements RecipientCheck {
  private final SuppressionList list;
  private final EventSink events;
  private final Clock clock;

  public SuppressionGate(SuppressionList list, EventSink events, Clock clock) {
    this.list = list;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public Optional<SmtpReply> check(String sender, String recipient) {
    Optional<Suppression> found = list.find(recipient);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    SmtpReply reply = Replies.SUPPRESSED_RECIPIENT;
    events.publish(refused(sender, recipient, found.get().reason(), clock.instant()));
    return Optional.of(reply);
  }

  /**
   * The {@code suppressed} event of a recipient refused before anything was queued (at RCPT, or
   * the HTTP API's 422): no queue id, the RCPT refusal and its reason as the reply, DSN 5.7.1.
   */
  public static RecipientEvent refused(
      String sender, String recipient, String reason, java.time.Instant time) {
    return new RecipientEvent(
        EventType.SUPPRESSED,
        null,
        recipient,
        sender,
        time,
        null,
        Replies.SUPPRESSED_RECIPIENT + " (" + reason + ")",
        "5.7.1",
        null);
  }

  /** For delivery under {@code hold}: whether the recipient waits instead of being sent. */
  public Predicate<String> held() {
    return list::isSuppressed;
  }
}
