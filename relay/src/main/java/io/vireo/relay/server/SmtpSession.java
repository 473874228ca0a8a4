package io.vireo.relay.server;

import io.vireo.config.LimitsConfig;
import io.vireo.config.NulPolicy;
import io.vireo.queue.BodyType;
import io.vireo.queue.Envelope;
import io.vireo.queue.MessageContent;
import io.vireo.queue.MessageId;
import io.vireo.queue.Recipient;
import io.vireo.relay.protocol.ChunkReceiver;
import io.vireo.relay.protocol.CommandLine;
import io.vireo.relay.protocol.ContentOutcome;
import io.vireo.relay.protocol.DataReader;
import io.vireo.relay.protocol.MailParameters;
import io.vireo.relay.protocol.Mailbox;
import io.vireo.relay.protocol.NulOctets;
import io.vireo.relay.protocol.ParseResult;
import io.vireo.relay.protocol.Replies;
import io.vireo.relay.protocol.SmtpCommand;
import io.vireo.relay.protocol.SmtpCommand.Auth;
import io.vireo.relay.protocol.SmtpCommand.Bdat;
import io.vireo.relay.protocol.SmtpCommand.Data;
import io.vireo.relay.protocol.SmtpCommand.Ehlo;
import io.vireo.relay.protocol.SmtpCommand.Expn;
import io.vireo.relay.protocol.SmtpCommand.Helo;
import io.vireo.relay.protocol.SmtpCommand.Help;
import io.vireo.relay.protocol.SmtpCommand.MailFrom;
import io.vireo.relay.protocol.SmtpCommand.Noop;
import io.vireo.relay.protocol.SmtpCommand.Quit;
import io.vireo.relay.protocol.SmtpCommand.RcptTo;
import io.vireo.relay.protocol.SmtpCommand.Rset;
import io.vireo.relay.protocol.SmtpCommand.StartTls;
import io.vireo.relay.protocol.SmtpCommand.Unknown;
import io.vireo.relay.protocol.SmtpCommand.Vrfy;
import io.vireo.relay.protocol.SmtpCommandParser;
import io.vireo.relay.protocol.SmtpInput;
import io.vireo.relay.protocol.SmtpReply;
import io.vireo.relay.listen.Connection;
import io.vireo.relay.listen.ListenerSession;
import io.vireo.relay.listen.Transport;
import io.vireo.relay.tls.TlsServerContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.Optional;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One SMTP connection, served by one virtual thread in a flat loop: read a command line, parse it,
 * run the handler for its verb, buffer the reply. Replies go out when the client has nothing more
 * in flight (RFC 2920), and a message is acknowledged only after the spool has stored it.
 *
 * <p>All failures are mapped to a reply and a log level in one place, {@link #run()}: a read
 * timeout gets 421 4.4.2, a client hang-up is logged at DEBUG without a stack trace, a bug gets 421
 * 4.3.0 and ERROR.
 */
final class SmtpSession implements ListenerSession {
  private static final Logger log = LoggerFactory.getLogger(SmtpSession.class);
  private static final int INPUT_BUFFER = 4096;

  private enum Next {
    CONTINUE,
    CLOSE
  }

  private final SessionContext context;
  private final LimitsConfig limits;
  private final String hostname;
  private final Transport transport;
  private final String name;
  private final InetAddress clientAddress;
  private final ReplyWriter out;
  private final SmtpInput input;
  private final boolean implicitTls;
  private final NulOctets nulOctets;

  private final StopSignal stop = new StopSignal();
  private volatile Thread thread;

  private String heloName;
  private boolean extended;
  private MailTransaction transaction;
  private String authenticatedUser;
  private SenderQuotas.UserSession userSession;
  private int errors;

  /** A session on an admitted connection; implicit TLS means the handshake before the greeting. */
  SmtpSession(SessionContext context, Connection connection) {
    this.context = context;
    this.limits = context.settings().limits();
    this.hostname = context.settings().hostname();
    this.transport = connection.transport();
    this.name = connection.name();
    this.clientAddress = connection.client();
    this.out = new ReplyWriter(transport.output());
    this.input = new SmtpInput(transport.input(), INPUT_BUFFER, out::flush);
    this.implicitTls = connection.implicitTls();
    this.nulOctets = limits.nul() == NulPolicy.STRIP ? NulOctets.STRIP : NulOctets.REJECT;
  }

  @Override
  public void run() {
    thread = Thread.currentThread();
    try {
      transport.noDelay();
      if (implicitTls && !handshake()) {
        return;
      }
      if (greet()) {
        serve();
      }
    } catch (SocketTimeoutException e) {
      log.debug("{} timed out", name);
      sendLast(Replies.timeout(hostname));
    } catch (IOException e) {
      log.debug("{} connection lost: {}", name, e.toString());
    } catch (RuntimeException e) {
      log.error("{} failed", name, e);
      sendLast(Replies.localError(hostname));
    } finally {
      closeConnection();
    }
  }

  // ---- lifecycle, called by the server from other threads ----

  /**
   * Asks the session to end at the next command boundary. A session blocked waiting for a command
   * is woken at once (its input is shut down) and answers 421; one receiving or storing a message
   * finishes first.
   */
  @Override
  public void requestStop() {
    try {
      stop.requestStop(transport::wakeReader);
    } catch (IOException e) {
      log.trace("{} input already closed: {}", name, e.toString());
    }
  }

  /** Ends the session now: closes the socket and interrupts its thread. */
  @Override
  public void abort() {
    closeQuietly();
    Thread running = thread;
    if (running != null) {
      running.interrupt();
    }
  }

  // ---- the loop ----

  private boolean greet() throws IOException {
    Boolean earlyTalker =
        stop.whileWaitingForClient(
            () ->
                EarlyTalker.talksFirst(input, transport, context.settings().greetingDelay()));
    if (earlyTalker == null) {
      sendLast(Replies.shuttingDown(hostname));
      return false;
    }
    if (earlyTalker) {
      log.debug("{} sent data before the greeting", name);
      sendLast(Replies.EARLY_TALKER);
      return false;
    }
    out.send(Replies.greeting(hostname));
    return true;
  }

  private void serve() throws IOException {
    while (true) {
      CommandLine line =
          stop.whileWaitingForClient(
              () -> {
                readTimeout(limits.commandTimeout());
                return input.readCommandLine();
              });
      if (line == null) {
        sendLast(Replies.shuttingDown(hostname));
        return;
      }
      Next next =
          switch (line) {
            case CommandLine.Line(byte[] bytes) -> execute(SmtpCommandParser.parse(bytes));
            case CommandLine.Malformed(SmtpReply reply) -> protocolError(reply, "malformed line");
            case CommandLine.EndOfInput() -> {
              log.debug("{} client closed the connection", name);
              yield Next.CLOSE;
            }
          };
      if (next == Next.CLOSE) {
        return;
      }
    }
  }

  private Next execute(ParseResult parsed) throws IOException {
    return switch (parsed) {
      case ParseResult.SyntaxError(SmtpReply reply, boolean fatal) when fatal -> {
        log.debug("{} unrecoverable syntax error: {}", name, reply);
        yield replyAndClose(reply);
      }
      case ParseResult.SyntaxError(SmtpReply reply, boolean fatal) ->
          protocolError(reply, "syntax error");
      case ParseResult.Command(SmtpCommand command) -> dispatch(command);
    };
  }

  private Next dispatch(SmtpCommand command) throws IOException {
    return switch (command) {
      case Ehlo ehlo -> hello(ehlo.clientName(), true);
      case Helo helo -> hello(helo.clientName(), false);
      case MailFrom mail -> mail(mail);
      case RcptTo rcpt -> rcpt(rcpt);
      case Data data -> data();
      case Bdat bdat -> bdat(bdat);
      case Rset rset -> {
        transaction = null;
        yield reply(Replies.OK);
      }
      case Noop noop -> reply(Replies.OK);
      case Quit quit -> replyAndClose(Replies.closing(hostname));
      case Help help -> reply(Replies.HELP);
      case Vrfy vrfy -> reply(Replies.CANNOT_VRFY);
      case Expn expn -> reply(Replies.EXPN_DISABLED);
      case StartTls startTls -> startTls();
      case Auth auth -> auth(auth);
      case Unknown unknown ->
          protocolError(Replies.COMMAND_UNRECOGNIZED, "unknown command " + unknown.verb());
    };
  }

  // ---- handlers ----

  /**
   * EHLO and HELO (RFC 5321 section 4.1.4): both reset any transaction and record the client's
   * name.
   */
  private Next hello(String clientName, boolean withExtensions) throws IOException {
    transaction = null;
    heloName = clientName;
    extended = withExtensions;
    return reply(
        withExtensions
            ? Replies.ehlo(hostname, context.extensions().forSession(transport.tls().isPresent()))
            : Replies.helo(hostname));
  }

  /**
   * STARTTLS (RFC 3207). Whatever the client pipelined behind the command is dropped unread before
   * the handshake (section 6, CVE-2011-0411: a man in the middle could otherwise inject commands
   * that the server would run as if they came over TLS), and everything learned before TLS is
   * forgotten after it (section 4.2): the client must say EHLO again.
   */
  private Next startTls() throws IOException {
    Optional<TlsServerContext> tls = context.security().tls();
    if (tls.isEmpty()) {
      return protocolError(Replies.NOT_IMPLEMENTED, "STARTTLS without a certificate");
    }
    if (transport.tls().isPresent()) {
      return protocolError(Replies.TLS_ALREADY_ACTIVE, "STARTTLS under TLS");
    }
    if (heloName == null) {
      return protocolError(Replies.SEND_HELO_FIRST, "STARTTLS before EHLO");
    }
    if (transaction != null) {
      return protocolError(Replies.TRANSACTION_IN_PROGRESS, "STARTTLS inside a transaction");
    }
    TlsHandshake handshake = tlsHandshake(tls.get());
    SSLSocket layer;
    try {
      layer = handshake.prepare();
    } catch (IOException e) {
      log.warn("{} cannot start TLS: {}", name, e.toString());
      return reply(Replies.TLS_NOT_AVAILABLE);
    }
    int dropped = input.discardBuffered();
    if (dropped > 0) {
      log.info("{} discarded {} octets sent in plaintext behind STARTTLS", name, dropped);
    }
    out.send(Replies.READY_FOR_TLS);
    out.flush();
    if (!handshake.run(layer, limits.commandTimeout())) {
      return Next.CLOSE;
    }
    heloName = null;
    extended = false;
    transaction = null;
    forgetLogin();
    return Next.CONTINUE;
  }

  /**
   * AUTH (RFC 4954 section 4): allowed once per session, after EHLO, outside a transaction, and
   * inside TLS unless {@code auth.require-tls} is off; {@link AuthExchange} does the rest.
   */
  private Next auth(Auth command) throws IOException {
    Optional<ServerAuth> auth = context.security().auth();
    if (auth.isEmpty()) {
      return protocolError(Replies.NOT_IMPLEMENTED, "AUTH without users");
    }
    if (heloName == null || !extended) {
      return protocolError(Replies.SEND_HELO_FIRST, "AUTH before EHLO");
    }
    if (authenticatedUser != null) {
      return protocolError(Replies.ALREADY_AUTHENTICATED, "AUTH twice");
    }
    if (transaction != null) {
      return protocolError(Replies.TRANSACTION_IN_PROGRESS, "AUTH inside a transaction");
    }
    if (auth.get().requireTls() && transport.tls().isEmpty()) {
      return protocolError(Replies.ENCRYPTION_REQUIRED, "AUTH before TLS");
    }
    AuthExchange exchange =
        new AuthExchange(
            auth.get(),
            () -> stop.whileWaitingForClient(input::readCommandLine),
            out,
            clientAddress,
            name,
            Replies.shuttingDown(hostname));
    return switch (exchange.run(command)) {
      case AuthExchange.Result.Authenticated(String user) -> {
        userSession = context.quotas().enter(user).orElse(null);
        if (userSession == null) {
          log.info("{} user {} has too many sessions", name, user);
          yield replyAndClose(Replies.TOO_MANY_CONNECTIONS_FOR_USER);
        }
        authenticatedUser = user;
        yield reply(Replies.AUTH_SUCCEEDED);
      }
      case AuthExchange.Result.Refused(SmtpReply reply, boolean counts) ->
          counts ? protocolError(reply, "AUTH refused") : reply(reply);
      case AuthExchange.Result.Close(SmtpReply reply) -> replyAndClose(reply);
      case AuthExchange.Result.Disconnected disconnected -> Next.CLOSE;
    };
  }

  /** Implicit TLS (RFC 8314 section 3): the handshake comes first, before the greeting. */
  private boolean handshake() throws IOException {
    TlsHandshake handshake = tlsHandshake(context.security().tls().orElseThrow());
    return handshake.run(handshake.prepare(), limits.commandTimeout());
  }

  private TlsHandshake tlsHandshake(TlsServerContext tls) {
    return new TlsHandshake(tls, transport, stop, name);
  }

  private Next mail(MailFrom command) throws IOException {
    if (heloName == null) {
      return protocolError(Replies.SEND_HELO_FIRST, "MAIL before EHLO");
    }
    if (transaction != null) {
      return protocolError(Replies.NESTED_MAIL, "nested MAIL");
    }
    MailParameters parameters = command.parameters();
    if (!extended && !parameters.equals(MailParameters.NONE)) {
      return protocolError(Replies.PARAMETER_NOT_RECOGNIZED, "MAIL parameters after HELO");
    }
    if (parameters.body() == BodyType.BINARY_MIME) {
      // BINARYMIME (RFC 3030 section 3) is not offered: the next hop may lack it.
      return protocolError(Replies.parameterNotRecognized("BODY=BINARYMIME"), "BODY=BINARYMIME");
    }
    // RFC 1870 section 6.1: refuse a declared size over the limit before any content is sent.
    if (parameters.size().orElse(0) > limits.maxMessageSize()) {
      return reply(Replies.MESSAGE_TOO_BIG);
    }
    ServerAuth auth = context.security().auth().orElse(null);
    if (authenticatedUser != null && !auth.permitsSender(authenticatedUser, command.sender())) {
      log.info("{} user {} may not send as <{}>", name, authenticatedUser, command.sender());
      return reply(Replies.SENDER_NOT_ALLOWED);
    }
    Optional<SmtpReply> overQuota = context.quotas().takeMessage(clientAddress, authenticatedUser);
    if (overQuota.isPresent()) {
      log.info("{} over the message rate: {}", name, overQuota.get());
      return reply(overQuota.get());
    }
    transaction = new MailTransaction(command);
    return reply(Replies.SENDER_OK);
  }

  private Next rcpt(RcptTo command) throws IOException {
    if (heloName == null) {
      return protocolError(Replies.SEND_HELO_FIRST, "RCPT before EHLO");
    }
    if (transaction == null) {
      return protocolError(Replies.NEED_MAIL, "RCPT before MAIL");
    }
    if (transaction.hasContentStarted()) {
      return protocolError(Replies.BAD_SEQUENCE, "RCPT after BDAT");
    }
    if (!extended
        && (!command.notifications().isEmpty() || command.originalRecipient().isPresent())) {
      return protocolError(Replies.PARAMETER_NOT_RECOGNIZED, "RCPT parameters after HELO");
    }
    Mailbox mailbox = command.forwardPath();
    // RFC 6531 section 3.4: UTF-8 addresses only in an SMTPUTF8 transaction.
    if (!mailbox.isAscii() && !transaction.isSmtpUtf8()) {
      return reply(Replies.NON_ASCII_ADDRESS);
    }
    if (transaction.recipients().size() >= limits.maxRecipients()) {
      return reply(Replies.TOO_MANY_RECIPIENTS);
    }
    PolicyDecision decision =
        context.relayPolicy().recipient(clientAddress, authenticatedUser != null, mailbox);
    return switch (decision) {
      case PolicyDecision.Accept accept -> acceptRecipient(command);
      case PolicyDecision.Reject(SmtpReply reply) -> protocolError(reply, "RCPT refused");
      case PolicyDecision.Defer(SmtpReply reply) -> reply(reply);
      case PolicyDecision.Disconnect(SmtpReply reply) -> replyAndClose(reply);
    };
  }

  /** Adds the recipient unless it would pass the client's or the user's rate (452 4.7.1). */
  private Next acceptRecipient(RcptTo command) throws IOException {
    Optional<SmtpReply> over = context.quotas().takeRecipient(clientAddress, authenticatedUser);
    if (over.isPresent()) {
      log.info("{} over the recipient rate: {}", name, over.get());
      return reply(over.get());
    }
    transaction.addRecipient(
        new Recipient(
            command.forwardPath().address(),
            command.notifications(),
            command.originalRecipient().orElse(null)));
    return reply(Replies.RECIPIENT_OK);
  }

  private Next data() throws IOException {
    if (heloName == null) {
      return protocolError(Replies.SEND_HELO_FIRST, "DATA before EHLO");
    }
    if (transaction != null && transaction.chunks() != null) {
      return protocolError(Replies.DATA_AFTER_BDAT, "DATA after BDAT");
    }
    if (transaction == null || transaction.recipients().isEmpty()) {
      return protocolError(Replies.NO_VALID_RECIPIENTS, "DATA without recipients");
    }
    out.send(Replies.START_MAIL_INPUT);
    readTimeout(limits.dataTimeout());
    MessageContent.Builder content = startContent();
    ContentOutcome outcome =
        new DataReader(content::write, limits.maxMessageSize(), nulOctets).read(input);
    return endOfContent(outcome);
  }

  /** RFC 3030 section 2. Every chunk is read, even a refused one, so the next command is found. */
  private Next bdat(Bdat command) throws IOException {
    readTimeout(limits.dataTimeout());
    SmtpReply refusal = null;
    if (heloName == null) {
      refusal = Replies.SEND_HELO_FIRST;
    } else if (transaction == null || transaction.recipients().isEmpty()) {
      refusal = Replies.NEED_MAIL_BEFORE_BDAT;
    }
    if (refusal != null) {
      if (!input.discard(command.chunkSize())) {
        return Next.CLOSE;
      }
      return protocolError(refusal, "BDAT out of sequence");
    }
    if (transaction.chunks() == null) {
      MessageContent.Builder content = startContent();
      transaction.useChunks(new ChunkReceiver(content::write, limits.maxMessageSize(), nulOctets));
    }
    ChunkReceiver chunks = transaction.chunks();
    ContentOutcome outcome = chunks.receive(input, command.chunkSize());
    if (command.last()) {
      return endOfContent(outcome instanceof ContentOutcome.Received ? chunks.finish() : outcome);
    }
    return switch (outcome) {
      case ContentOutcome.Received received -> reply(Replies.chunkReceived(command.chunkSize()));
      case ContentOutcome.Rejected(SmtpReply reply) -> reply(reply);
      case ContentOutcome.Disconnected disconnected -> endOfContent(outcome);
    };
  }

  /** Fixes id and arrival time and writes the Received header ahead of the client's content. */
  private MessageContent.Builder startContent() {
    MessageId id = context.ids().next();
    Instant arrival = context.clock().instant();
    MessageContent.Builder content = transaction.startContent(id, arrival);
    content.write(
        ReceivedHeader.forTransaction(
            transaction,
            heloName,
            clientAddress,
            hostname,
            transport.tls(),
            extended,
            authenticatedUser != null,
            ZonedDateTime.ofInstant(arrival, context.clock().getZone())));
    return content;
  }

  /** The transaction ends here whatever happened (RFC 5321 section 4.1.1.4). */
  private Next endOfContent(ContentOutcome outcome) throws IOException {
    MailTransaction finished = transaction;
    transaction = null;
    return switch (outcome) {
      case ContentOutcome.Received received -> store(finished);
      case ContentOutcome.Rejected(SmtpReply reply) -> {
        log.debug("{} message refused: {}", name, reply);
        yield reply(reply);
      }
      case ContentOutcome.Disconnected disconnected -> {
        log.debug("{} client closed the connection during message content", name);
        yield Next.CLOSE;
      }
    };
  }

  /** Stores the message durably, and only then says 250 (the reason this relay exists). */
  private Next store(MailTransaction finished) throws IOException {
    Envelope envelope = finished.envelope(clientAddress.getHostAddress(), heloName);
    return switch (context.intake().store(envelope, finished.content().build())) {
      case MessageIntake.Stored.Refused(SmtpReply reply) -> reply(reply);
      case MessageIntake.Stored.Durable durable -> {
        out.send(Replies.queued(envelope.id().value()));
        // The client waits for this 250 alone: send it now, before the log line and the delivery
        // hand-off, unless its next pipelined command is here to be answered in the same write.
        if (!input.hasBufferedInput()) {
          out.flush();
        }
        context.intake().accepted(durable);
        yield Next.CONTINUE;
      }
    };
  }

  // ---- replies and errors ----

  private Next reply(SmtpReply reply) throws IOException {
    out.send(reply);
    return Next.CONTINUE;
  }

  private Next replyAndClose(SmtpReply reply) throws IOException {
    out.send(reply);
    out.flush();
    return Next.CLOSE;
  }

  /** Counts a client error; past {@code limits.maxErrors} the session ends with 421 4.7.0. */
  private Next protocolError(SmtpReply reply, String what) throws IOException {
    errors++;
    log.debug("{} {}: {}", name, what, reply);
    if (errors > limits.maxErrors()) {
      log.debug("{} too many errors ({})", name, errors);
      return replyAndClose(Replies.TOO_MANY_ERRORS);
    }
    return reply(reply);
  }

  /**
   * Sends a final reply on a connection about to close; failure to send is expected and ignored.
   */
  private void sendLast(SmtpReply reply) {
    try {
      out.send(reply);
      out.flush();
    } catch (IOException e) {
      log.debug("{} could not send {}: {}", name, reply.code(), e.toString());
    }
  }

  private void readTimeout(Duration timeout) throws IOException {
    transport.readTimeout(timeout);
  }

  private void forgetLogin() {
    authenticatedUser = null;
    if (userSession != null) {
      userSession.close();
      userSession = null;
    }
  }

  private void closeConnection() {
    forgetLogin();
    try {
      transport.close();
    } catch (IOException e) {
      log.trace("{} closing: {}", name, e.toString());
    }
  }

  private void closeQuietly() {
    try {
      transport.abort();
    } catch (IOException e) {
      log.trace("{} close failed: {}", name, e.toString());
    }
  }
}
