package io.vireo.relay.server;

import io.vireo.config.LimitsConfig;
import io.vireo.config.NulPolicy;
import io.vireo.queue.BodyType;
import io.vireo.queue.Envelope;
import io.vireo.queue.MessageContent;
import io.vireo.queue.MessageId;
import io.vireo.queue.Recipient;
import io.vireo.relay.intake.Stored;
import io.vireo.relay.listen.Connection;
import io.vireo.relay.listen.Transport;
import io.vireo.relay.protocol.ChunkReceiver;
import io.vireo.relay.protocol.ContentOutcome;
import io.vireo.relay.protocol.DataReader;
import io.vireo.relay.protocol.MailParameters;
import io.vireo.relay.protocol.Mailbox;
import io.vireo.relay.protocol.NulOctets;
import io.vireo.relay.protocol.Replies;
import io.vireo.relay.protocol.SmtpCommand.Bdat;
import io.vireo.relay.protocol.SmtpCommand.MailFrom;
import io.vireo.relay.protocol.SmtpCommand.RcptTo;
import io.vireo.relay.protocol.SmtpInput;
import io.vireo.relay.protocol.SmtpReply;
import io.vireo.relay.server.SessionReplies.Next;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MAIL, RCPT, DATA and BDAT for one SMTP session: builds its {@link MailTransaction} (sender and
 * recipient checks, rates, relay policy), reads the content under the size limit and the data
 * timeout, and stores the message before the 250. The session only asks whether one is in
 * progress (STARTTLS and AUTH are refused inside one) and drops it on RSET, EHLO, HELO and TLS.
 */
final class TransactionCommands {
  // One session, one logger: these lines keep SmtpSession's name, as before the split.
  private static final Logger log = LoggerFactory.getLogger(SmtpSession.class);

  /**
   * What the session knows of its client when a command arrives: the EHLO or HELO name (null
   * before either), whether it said EHLO, and the user it authenticated as (null without AUTH).
   */
  record Client(String heloName, boolean extended, String user) {}

  private final SessionContext context;
  private final LimitsConfig limits;
  private final String hostname;
  private final Transport transport;
  private final String name;
  private final InetAddress clientAddress;
  private final SmtpInput input;
  private final ReplyWriter out;
  private final SessionReplies replies;
  private final NulOctets nulOctets;

  private MailTransaction transaction;

  TransactionCommands(
      SessionContext context,
      Connection connection,
      SmtpInput input,
      ReplyWriter out,
      SessionReplies replies) {
    this.context = context;
    this.limits = context.settings().limits();
    this.hostname = context.settings().hostname();
    this.transport = connection.transport();
    this.name = connection.name();
    this.clientAddress = connection.client();
    this.input = input;
    this.out = out;
    this.replies = replies;
    this.nulOctets = limits.nul() == NulPolicy.STRIP ? NulOctets.STRIP : NulOctets.REJECT;
  }

  /** Whether a transaction has begun (MAIL accepted) and not yet ended. */
  boolean inProgress() {
    return transaction != null;
  }

  /** Drops the transaction in progress, if any (RSET, EHLO, HELO, STARTTLS). */
  void reset() {
    transaction = null;
  }

  Next mail(MailFrom command, Client client) throws IOException {
    if (client.heloName() == null) {
      return replies.protocolError(Replies.SEND_HELO_FIRST, "MAIL before EHLO");
    }
    if (transaction != null) {
      return replies.protocolError(Replies.NESTED_MAIL, "nested MAIL");
    }
    MailParameters parameters = command.parameters();
    if (!client.extended() && !parameters.equals(MailParameters.NONE)) {
      return replies.protocolError(
          Replies.PARAMETER_NOT_RECOGNIZED, "MAIL parameters after HELO");
    }
    if (parameters.body() == BodyType.BINARY_MIME) {
      // BINARYMIME (RFC 3030 section 3) is not offered: the next hop may lack it.
      return replies.protocolError(
          Replies.parameterNotRecognized("BODY=BINARYMIME"), "BODY=BINARYMIME");
    }
    // RFC 1870 section 6.1: refuse a declared size over the limit before any content is sent.
    if (parameters.size().orElse(0) > limits.maxMessageSize()) {
      return replies.reply(Replies.MESSAGE_TOO_BIG);
    }
    ServerAuth auth = context.security().auth().orElse(null);
    if (client.user() != null && !auth.permitsSender(client.user(), command.sender())) {
      log.info("{} user {} may not send as <{}>", name, client.user(), command.sender());
      return replies.reply(Replies.SENDER_NOT_ALLOWED);
    }
    Optional<SmtpReply> overQuota = context.quotas().takeMessage(clientAddress, client.user());
    if (overQuota.isPresent()) {
      log.info("{} over the message rate: {}", name, overQuota.get());
      return replies.reply(overQuota.get());
    }
    transaction = new MailTransaction(command);
    return replies.reply(Replies.SENDER_OK);
  }

  Next rcpt(RcptTo command, Client client) throws IOException {
    if (client.heloName() == null) {
      return replies.protocolError(Replies.SEND_HELO_FIRST, "RCPT before EHLO");
    }
    if (transaction == null) {
      return replies.protocolError(Replies.NEED_MAIL, "RCPT before MAIL");
    }
    if (transaction.hasContentStarted()) {
      return replies.protocolError(Replies.BAD_SEQUENCE, "RCPT after BDAT");
    }
    if (!client.extended()
        && (!command.notifications().isEmpty() || command.originalRecipient().isPresent())) {
      return replies.protocolError(
          Replies.PARAMETER_NOT_RECOGNIZED, "RCPT parameters after HELO");
    }
    Mailbox mailbox = command.forwardPath();
    // RFC 6531 section 3.4: UTF-8 addresses only in an SMTPUTF8 transaction.
    if (!mailbox.isAscii() && !transaction.isSmtpUtf8()) {
      return replies.reply(Replies.NON_ASCII_ADDRESS);
    }
    if (transaction.recipients().size() >= limits.maxRecipients()) {
      return replies.reply(Replies.TOO_MANY_RECIPIENTS);
    }
    PolicyDecision decision =
        context.relayPolicy().recipient(clientAddress, client.user() != null, mailbox);
    return switch (decision) {
      case PolicyDecision.Accept accept -> acceptRecipient(command, client);
      case PolicyDecision.Reject(SmtpReply reply) -> replies.protocolError(reply, "RCPT refused");
      case PolicyDecision.Defer(SmtpReply reply) -> replies.reply(reply);
      case PolicyDecision.Disconnect(SmtpReply reply) -> replies.replyAndClose(reply);
    };
  }

  /** Adds the recipient unless it would pass the client's or the user's rate (452 4.7.1). */
  private Next acceptRecipient(RcptTo command, Client client) throws IOException {
    Optional<SmtpReply> refused =
        context.recipientCheck().check(transaction.mail().sender(), command.forwardPath().address());
    if (refused.isPresent()) {
      log.info("{} RCPT refused: <{}>: {}", name, command.forwardPath().address(), refused.get());
      return replies.reply(refused.get());
    }
    Optional<SmtpReply> over = context.quotas().takeRecipient(clientAddress, client.user());
    if (over.isPresent()) {
      log.info("{} over the recipient rate: {}", name, over.get());
      return replies.reply(over.get());
    }
    transaction.addRecipient(
        new Recipient(
            command.forwardPath().address(),
            command.notifications(),
            command.originalRecipient().orElse(null)));
    return replies.reply(Replies.RECIPIENT_OK);
  }

  Next data(Client client) throws IOException {
    if (client.heloName() == null) {
      return replies.protocolError(Replies.SEND_HELO_FIRST, "DATA before EHLO");
    }
    if (transaction != null && transaction.chunks() != null) {
      return replies.protocolError(Replies.DATA_AFTER_BDAT, "DATA after BDAT");
    }
    if (transaction == null || transaction.recipients().isEmpty()) {
      return replies.protocolError(Replies.NO_VALID_RECIPIENTS, "DATA without recipients");
    }
    out.send(Replies.START_MAIL_INPUT);
    transport.readTimeout(limits.dataTimeout());
    MessageContent.Builder content = startContent(client);
    ContentOutcome outcome =
        new DataReader(content::write, limits.maxMessageSize(), nulOctets).read(input);
    return endOfContent(outcome, client);
  }

  /** RFC 3030 section 2. Every chunk is read, even a refused one, so the next command is found. */
  Next bdat(Bdat command, Client client) throws IOException {
    transport.readTimeout(limits.dataTimeout());
    SmtpReply refusal = null;
    if (client.heloName() == null) {
      refusal = Replies.SEND_HELO_FIRST;
    } else if (transaction == null || transaction.recipients().isEmpty()) {
      refusal = Replies.NEED_MAIL_BEFORE_BDAT;
    }
    if (refusal != null) {
      if (!input.discard(command.chunkSize())) {
        return Next.CLOSE;
      }
      return replies.protocolError(refusal, "BDAT out of sequence");
    }
    if (transaction.chunks() == null) {
      MessageContent.Builder content = startContent(client);
      transaction.useChunks(new ChunkReceiver(content::write, limits.maxMessageSize(), nulOctets));
    }
    ChunkReceiver chunks = transaction.chunks();
    ContentOutcome outcome = chunks.receive(input, command.chunkSize());
    if (command.last()) {
      return endOfContent(
          outcome instanceof ContentOutcome.Received ? chunks.finish() : outcome, client);
    }
    return switch (outcome) {
      case ContentOutcome.Received received ->
          replies.reply(Replies.chunkReceived(command.chunkSize()));
      case ContentOutcome.Rejected(SmtpReply reply) -> replies.reply(reply);
      case ContentOutcome.Disconnected disconnected -> endOfContent(outcome, client);
    };
  }

  /** Fixes id and arrival time and writes the Received header ahead of the client's content. */
  private MessageContent.Builder startContent(Client client) {
    MessageId id = context.ids().next();
    Instant arrival = context.clock().instant();
    MessageContent.Builder content = transaction.startContent(id, arrival);
    content.write(
        ReceivedHeader.forTransaction(
            transaction,
            client.heloName(),
            clientAddress,
            hostname,
            transport.tls(),
            client.extended(),
            client.user() != null,
            ZonedDateTime.ofInstant(arrival, context.clock().getZone())));
    return content;
  }

  /** The transaction ends here whatever happened (RFC 5321 section 4.1.1.4). */
  private Next endOfContent(ContentOutcome outcome, Client client) throws IOException {
    MailTransaction finished = transaction;
    transaction = null;
    return switch (outcome) {
      case ContentOutcome.Received received -> store(finished, client);
      case ContentOutcome.Rejected(SmtpReply reply) -> {
        log.debug("{} message refused: {}", name, reply);
        yield replies.reply(reply);
      }
      case ContentOutcome.Disconnected disconnected -> {
        log.debug("{} client closed the connection during message content", name);
        yield Next.CLOSE;
      }
    };
  }

  /** Stores the message durably, and only then says 250 (the reason this relay exists). */
  private Next store(MailTransaction finished, Client client) throws IOException {
    Envelope envelope = finished.envelope(clientAddress.getHostAddress(), client.heloName());
    return switch (context.intake().store(envelope, finished.content().build())) {
      case Stored.Refused refused -> replies.reply(Replies.INSUFFICIENT_STORAGE);
      case Stored.Durable durable -> {
        out.send(Replies.queued(envelope.id().value()));
        // The client waits for this 250 alone: send it now, before the log line and the delivery
        // hand-off, unless its next pipelined command is here to be answered in the same write.
        if (!input.hasBufferedInput()) {
          out.flush();
        }
        context.intake().accepted(durable);
        context.counted().accept(envelope);
        yield Next.CONTINUE;
      }
    };
  }
}
