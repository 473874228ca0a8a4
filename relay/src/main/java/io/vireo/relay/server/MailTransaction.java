package io.vireo.relay.server;

import io.vireo.queue.Envelope;
import io.vireo.queue.MessageContent;
import io.vireo.queue.MessageId;
import io.vireo.queue.Recipient;
import io.vireo.relay.protocol.ChunkReceiver;
import io.vireo.relay.protocol.SmtpCommand.MailFrom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One mail transaction in progress (RFC 5321 section 3.3): from MAIL to the end of the content,
 * RSET or a new EHLO. Owned by one session.
 */
final class MailTransaction {
  private final MailFrom mail;
  private final List<Recipient> recipients = new ArrayList<>();
  private MessageId id;
  private Instant arrival;
  private MessageContent.Builder content;
  private ChunkReceiver chunks;

  MailTransaction(MailFrom mail) {
    this.mail = mail;
  }

  MailFrom mail() {
    return mail;
  }

  boolean isSmtpUtf8() {
    return mail.parameters().smtpUtf8();
  }

  List<Recipient> recipients() {
    return recipients;
  }

  /**
   * Adds the recipient unless the same address is already listed: one copy per address is enough.
   */
  void addRecipient(Recipient recipient) {
    for (Recipient existing : recipients) {
      if (existing.address().equals(recipient.address())) {
        return;
      }
    }
    recipients.add(recipient);
  }

  boolean hasContentStarted() {
    return content != null;
  }

  /**
   * Starts the content: fixes the queue id and arrival time, which the Received header already
   * needs.
   */
  MessageContent.Builder startContent(MessageId id, Instant arrival) {
    this.id = id;
    this.arrival = arrival;
    this.content = new MessageContent.Builder();
    return content;
  }

  MessageId id() {
    return id;
  }

  MessageContent.Builder content() {
    return content;
  }

  /**
   * The BDAT receiver, once a BDAT chunk has started the content; null with DATA or before content.
   */
  ChunkReceiver chunks() {
    return chunks;
  }

  void useChunks(ChunkReceiver receiver) {
    this.chunks = receiver;
  }

  Envelope envelope(String clientAddress, String heloName) {
    return new Envelope(
        id,
        mail.sender(),
        recipients,
        mail.parameters().body(),
        mail.parameters().smtpUtf8(),
        mail.parameters().ret(),
        mail.parameters().envelopeId().orElse(null),
        arrival,
        clientAddress,
        heloName);
  }
}
