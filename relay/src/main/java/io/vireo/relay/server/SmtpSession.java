package io.vireo.relay.server;

import io.vireo.config.LimitsConfig;
import io.vireo.relay.protocol.CommandLine;
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
import io.vireo.relay.server.SessionReplies.Next;
import io.vireo.relay.tls.TlsServerContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
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
 *
 * <p>MAIL, RCPT, DATA and BDAT, with the transaction they build, are {@link TransactionCommands};
 * replies and the count of client errors are {@link SessionReplies}.
 */
final class SmtpSession implements ListenerSession {
  private static final Logger log = LoggerFactory.getLogger(SmtpSession.class);
  private static final int INPUT_BUFFER = 4096;

  private final SessionContext context;
  private final LimitsConfig limits;
  private final String hostname;
  private final Transport transport;
  private final String name;
  private final InetAddress clientAddress;
  private final ReplyWriter out;
  private final SmtpInput input;
  private final boolean implicitTls;
  private final SessionReplies replies;
  private final TransactionCommands transactions;

  private final StopSignal stop = new StopSignal();
  private volatile Thread thread;

  private String heloName;
  private boolean extended;
  private String authenticatedUser;
  private SenderQuotas.UserSession userSession;

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
    this.replies = new SessionReplies(out, name, limits.maxErrors());
    this.transactions = new TransactionCommands(context, connection, input, out, replies);
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
      replies.sendLast(Replies.timeout(hostname));
    } catch (IOException e) {
      log.debug("{} connection lost: {}", name, e.toString());
    } catch (RuntimeException e) {
      log.error("{} failed", name, e);
      replies.sendLast(Replies.localError(hostname));
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
      replies.sendLast(Replies.shuttingDown(hostname));
      return false;
    }
    if (earlyTalker) {
      log.debug("{} sent data before the greeting", name);
      replies.sendLast(Replies.EARLY_TALKER);
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
        replies.sendLast(Replies.shuttingDown(hostname));
        return;
      }
      Next next =
          switch (line) {
            case CommandLine.Line(byte[] bytes) -> execute(SmtpCommandParser.parse(bytes));
            case CommandLine.Malformed(SmtpReply reply) ->
                replies.protocolError(reply, "malformed line");
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
        yield replies.replyAndClose(reply);
      }
      case ParseResult.SyntaxError(SmtpReply reply, boolean fatal) ->
          replies.protocolError(reply, "syntax error");
      case ParseResult.Command(SmtpCommand command) -> dispatch(command);
    };
  }

  private Next dispatch(SmtpCommand command) throws IOException {
    return switch (command) {
      case Ehlo ehlo -> hello(ehlo.clientName(), true);
      case Helo helo -> hello(helo.clientName(), false);
      case MailFrom mail -> transactions.mail(mail, client());
      case RcptTo rcpt -> transactions.rcpt(rcpt, client());
      case Data data -> transactions.data(client());
      case Bdat bdat -> transactions.bdat(bdat, client());
      case Rset rset -> {
        transactions.reset();
        yield replies.reply(Replies.OK);
      }
      case Noop noop -> replies.reply(Replies.OK);
      case Quit quit -> replies.replyAndClose(Replies.closing(hostname));
      case Help help -> replies.reply(Replies.HELP);
      case Vrfy vrfy -> replies.reply(Replies.CANNOT_VRFY);
      case Expn expn -> replies.reply(Replies.EXPN_DISABLED);
      case StartTls startTls -> startTls();
      case Auth auth -> auth(auth);
      case Unknown unknown ->
          replies.protocolError(Replies.COMMAND_UNRECOGNIZED, "unknown command " + unknown.verb());
    };
  }

  // ---- handlers ----

  /**
   * EHLO and HELO (RFC 5321 section 4.1.4): both reset any transaction and record the client's
   * name.
   */
  private Next hello(String clientName, boolean withExtensions) throws IOException {
    transactions.reset();
    heloName = clientName;
    extended = withExtensions;
    return replies.reply(
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
      return replies.protocolError(Replies.NOT_IMPLEMENTED, "STARTTLS without a certificate");
    }
    if (transport.tls().isPresent()) {
      return replies.protocolError(Replies.TLS_ALREADY_ACTIVE, "STARTTLS under TLS");
    }
    if (heloName == null) {
      return replies.protocolError(Replies.SEND_HELO_FIRST, "STARTTLS before EHLO");
    }
    if (transactions.inProgress()) {
      return replies.protocolError(
          Replies.TRANSACTION_IN_PROGRESS, "STARTTLS inside a transaction");
    }
    TlsHandshake handshake = tlsHandshake(tls.get());
    SSLSocket layer;
    try {
      layer = handshake.prepare();
    } catch (IOException e) {
      log.warn("{} cannot start TLS: {}", name, e.toString());
      return replies.reply(Replies.TLS_NOT_AVAILABLE);
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
    transactions.reset();
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
      return replies.protocolError(Replies.NOT_IMPLEMENTED, "AUTH without users");
    }
    if (heloName == null || !extended) {
      return replies.protocolError(Replies.SEND_HELO_FIRST, "AUTH before EHLO");
    }
    if (authenticatedUser != null) {
      return replies.protocolError(Replies.ALREADY_AUTHENTICATED, "AUTH twice");
    }
    if (transactions.inProgress()) {
      return replies.protocolError(
          Replies.TRANSACTION_IN_PROGRESS, "AUTH inside a transaction");
    }
    if (auth.get().requireTls() && transport.tls().isEmpty()) {
      return replies.protocolError(Replies.ENCRYPTION_REQUIRED, "AUTH before TLS");
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
          yield replies.replyAndClose(Replies.TOO_MANY_CONNECTIONS_FOR_USER);
        }
        authenticatedUser = user;
        yield replies.reply(Replies.AUTH_SUCCEEDED);
      }
      case AuthExchange.Result.Refused(SmtpReply reply, boolean counts) ->
          counts ? replies.protocolError(reply, "AUTH refused") : replies.reply(reply);
      case AuthExchange.Result.Close(SmtpReply reply) -> replies.replyAndClose(reply);
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

  // ---- session plumbing ----

  /** The client as the transaction commands need it; see {@link TransactionCommands.Client}. */
  private TransactionCommands.Client client() {
    return new TransactionCommands.Client(heloName, extended, authenticatedUser);
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
