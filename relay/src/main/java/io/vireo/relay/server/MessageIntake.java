package io.vireo.relay.server;

import io.vireo.queue.Envelope;
import io.vireo.queue.MessageContent;
import io.vireo.queue.Spool;
import io.vireo.queue.SpoolException;
import io.vireo.relay.protocol.Replies;
import io.vireo.relay.protocol.SmtpReply;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The step between a finished SMTP transaction and the spool: stores the message durably, then,
 * once the session has said 250, logs it and hands it to delivery. Thread-safe; shared by the
 * sessions of one server.
 */
final class MessageIntake {
  private static final Logger log = LoggerFactory.getLogger(MessageIntake.class);

  /** What became of a message; a closed set. */
  sealed interface Stored {
    /**
     * On disk: the session may say 250 with this id. {@code messageIdHeader} is the message's
     * Message-ID field, for the log, or null.
     */
    record Durable(Envelope envelope, long size, String messageIdHeader) implements Stored {}

    /** Not stored; the reply says why (452 4.3.1 when the spool failed). */
    record Refused(SmtpReply reply) implements Stored {}
  }

  private final Spool spool;
  private final UnaryOperator<MessageContent> beforeStore;
  private final Consumer<Envelope> onAccepted;

  /**
   * @param beforeStore applied once to every message before it is stored (DKIM signing); its
   *     result is what is stored and delivered
   */
  MessageIntake(
      Spool spool, UnaryOperator<MessageContent> beforeStore, Consumer<Envelope> onAccepted) {
    this.spool = Objects.requireNonNull(spool, "spool");
    this.beforeStore = Objects.requireNonNull(beforeStore, "beforeStore");
    this.onAccepted = Objects.requireNonNull(onAccepted, "onAccepted");
  }

  /** Stores the message; returns only once it is durable, or refused. */
  Stored store(Envelope envelope, MessageContent received) {
    MessageContent content = received;
    try {
      content = beforeStore.apply(received);
    } catch (RuntimeException e) {
      // Losing the message would be worse than sending it unsigned: store it as received.
      log.error("id={} could not be signed, storing it unsigned", envelope.id(), e);
    }
    try {
      spool.store(envelope, content);
    } catch (SpoolException e) {
      log.error(
          "spool store failed id={} client=[{}]: {}",
          envelope.id(),
          envelope.clientAddress(),
          e.toString());
      return new Stored.Refused(Replies.INSUFFICIENT_STORAGE);
    }
    return new Stored.Durable(envelope, content.size(), HeaderMessageId.of(content));
  }

  /**
   * After the 250: the accept line and the hand-off to delivery. The line is keyed by the queue id
   * like every later line of the message (the delivery attempts, {@code removed}), as Postfix's
   * are: {@code ID: client=[ip], message-id=<...>, from=<...>, size=N, nrcpt=N}.
   */
  void accepted(Stored.Durable stored) {
    Envelope envelope = stored.envelope();
    log.info(
        "{}: client=[{}], message-id={}, from=<{}>, size={}, nrcpt={}",
        envelope.id(),
        envelope.clientAddress(),
        stored.messageIdHeader() == null ? "none" : stored.messageIdHeader(),
        envelope.sender(),
        stored.size(),
        envelope.recipients().size());
    try {
      onAccepted.accept(envelope);
    } catch (RuntimeException e) {
      // The message is stored and acknowledged; the spool still holds it for delivery.
      log.error("accepted-message callback failed id={}", envelope.id(), e);
    }
  }
}
