package io.vireo.mailbox.pop3;

import io.vireo.mailbox.access.AccessChannel;
import io.vireo.mailbox.access.Login;
import io.vireo.mailbox.access.Logins;
import io.vireo.mailbox.access.PlainCredentials;
import io.vireo.mailbox.pop3.Pop3Command.Auth;
import io.vireo.mailbox.pop3.Pop3Command.AuthMechanisms;
import io.vireo.mailbox.pop3.Pop3Command.Capa;
import io.vireo.mailbox.pop3.Pop3Command.Dele;
import io.vireo.mailbox.pop3.Pop3Command.ListMessages;
import io.vireo.mailbox.pop3.Pop3Command.Noop;
import io.vireo.mailbox.pop3.Pop3Command.Pass;
import io.vireo.mailbox.pop3.Pop3Command.Quit;
import io.vireo.mailbox.pop3.Pop3Command.Retr;
import io.vireo.mailbox.pop3.Pop3Command.Rset;
import io.vireo.mailbox.pop3.Pop3Command.Stat;
import io.vireo.mailbox.pop3.Pop3Command.Stls;
import io.vireo.mailbox.pop3.Pop3Command.Top;
import io.vireo.mailbox.pop3.Pop3Command.Uidl;
import io.vireo.mailbox.pop3.Pop3Command.Unknown;
import io.vireo.mailbox.pop3.Pop3Command.User;
import io.vireo.mailbox.pop3.Pop3Input.Line;
import io.vireo.mailbox.store.MailStore;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One POP3 conversation, in a flat loop on the connection's thread: read a line, parse it, run the
 * handler for its command in the current state (RFC 1939 section 3: AUTHORIZATION, then
 * TRANSACTION once the maildrop is locked, UPDATE only after QUIT). Replies are buffered and
 * flushed when the client has nothing more in flight (RFC 2449 section 6.6, PIPELINING).
 *
 * <p>A session that ends other than by QUIT (a hang-up, the autologout timer, a drain) never
 * enters UPDATE: its deletion marks are dropped and the maildrop lock released.
 */
final class Pop3Session {
  private static final Logger log = LoggerFactory.getLogger(Pop3Session.class);

  /** RFC 2449 section 4: a command line is at most 255 octets with its CRLF. */
  static final int MAX_COMMAND_LINE = 253;

  /** A SASL response line after "+ "; PLAIN needs far less, this only bounds memory. */
  static final int MAX_SASL_RESPONSE = 8192;

  private static final int INPUT_BUFFER = 4096;
  private static final byte[] CRLF = {'\r', '\n'};
  private static final byte[] END = {'.', '\r', '\n'};

  private enum Next {
    CONTINUE,
    CLOSE
  }

  private final Pop3Settings settings;
  private final MailStore store;
  private final Logins logins;
  private final AccessChannel channel;
  private final Pop3Input input;
  private final OutputStream out;
  private final String name = Thread.currentThread().getName();

  private String pendingUser; // USER given, PASS awaited
  private Maildrop maildrop; // non-null: TRANSACTION state
  private int errors;

  Pop3Session(
      Pop3Settings settings, MailStore store, Logins logins, AccessChannel channel) {
    this.settings = settings;
    this.store = store;
    this.logins = logins;
    this.channel = channel;
    this.input = new Pop3Input(channel.input(), INPUT_BUFFER);
    this.out = new BufferedOutputStream(channel.output(), 8192);
  }

  void run() throws InterruptedException {
    try {
      send(Pop3Replies.greeting(settings.hostname()));
      serve();
    } catch (SocketTimeoutException e) {
      log.debug("{} autologout", name);
      sendLast(Pop3Replies.AUTOLOGOUT);
    } catch (IOException e) {
      if (channel.draining()) {
        sendLast(Pop3Replies.SHUTTING_DOWN);
      } else {
        log.debug("{} connection lost: {}", name, e.toString());
      }
    } catch (RuntimeException e) {
      log.error("{} failed", name, e);
      sendLast(Pop3Replies.LOCAL_ERROR);
    } finally {
      if (maildrop != null) {
        maildrop.close();
        maildrop = null;
      }
    }
  }

  private void serve() throws IOException, InterruptedException {
    while (true) {
      if (!input.hasBufferedInput()) {
        out.flush();
        if (channel.draining()) {
          sendLast(Pop3Replies.SHUTTING_DOWN);
          return;
        }
      }
      channel.readTimeout(settings.idleTimeout());
      Next next =
          switch (input.readLine(MAX_COMMAND_LINE)) {
            case Line.Text(byte[] bytes) -> execute(Pop3Parser.parse(bytes));
            case Line.TooLong tooLong -> protocolError(Pop3Replies.LINE_TOO_LONG, "line too long");
            case Line.BareLineEnd bare -> protocolError(Pop3Replies.BARE_LINE_END, "bare CR or LF");
            case Line.End end -> {
              if (channel.draining()) {
                sendLast(Pop3Replies.SHUTTING_DOWN);
              } else {
                log.debug("{} client closed the connection", name);
              }
              yield Next.CLOSE;
            }
          };
      if (next == Next.CLOSE) {
        out.flush();
        return;
      }
    }
  }

  private Next execute(Pop3Parse parsed) throws IOException, InterruptedException {
    return switch (parsed) {
      case Pop3Parse.Invalid(String reason) -> protocolError(Pop3Reply.err(reason), reason);
      case Pop3Parse.Parsed(Pop3Command command) ->
          maildrop == null ? authorization(command) : transaction(command);
    };
  }

  /** RFC 1939 section 4: the commands before the maildrop is open. */
  private Next authorization(Pop3Command command) throws IOException, InterruptedException {
    return switch (command) {
      case User user -> user(user.name());
      case Pass pass -> pass(pass.password());
      case Auth auth -> auth(auth);
      case AuthMechanisms mechanisms -> mechanisms();
      case Capa capa -> capabilities();
      case Stls stls -> stls();
      case Quit quit -> replyAndClose(Pop3Replies.signingOff(settings.hostname()));
      case Unknown unknown -> protocolError(Pop3Replies.UNKNOWN_COMMAND, unknown.keyword());
      default -> protocolError(Pop3Replies.NOT_IN_THIS_STATE, "before login: " + command);
    };
  }

  /** RFC 1939 sections 5 and 6: the commands on an open maildrop. */
  private Next transaction(Pop3Command command) throws IOException {
    return switch (command) {
      case Stat stat -> reply(Pop3Replies.dropListing(maildrop.count(), maildrop.octets()));
      case ListMessages list -> list(list.message());
      case Retr retr -> retrieve(retr.message(), -1);
      case Top top -> retrieve(top.message(), top.lines());
      case Dele dele -> delete(dele.message());
      case Noop noop -> reply(Pop3Replies.OK);
      case Rset rset -> {
        maildrop.unmarkAll();
        yield reply(Pop3Replies.reset(maildrop.count(), maildrop.octets()));
      }
      case Uidl uidl -> uniqueIds(uidl.message());
      case Capa capa -> capabilities();
      case Quit quit -> update();
      case Unknown unknown -> protocolError(Pop3Replies.UNKNOWN_COMMAND, unknown.keyword());
      default -> protocolError(Pop3Replies.NOT_IN_THIS_STATE, "after login: " + command);
    };
  }

  // ---- AUTHORIZATION ----

  /** Logins wait for TLS when {@code auth.require-tls} says so, as SMTP AUTH does. */
  private boolean loginsAllowed() {
    return channel.secure() || !settings.requireTls();
  }

  private Next user(String user) throws IOException {
    if (!loginsAllowed()) {
      return reply(Pop3Replies.TLS_REQUIRED);
    }
    pendingUser = user;
    return reply(Pop3Replies.USER_OK);
  }

  private Next pass(byte[] password) throws IOException, InterruptedException {
    try {
      if (!loginsAllowed()) {
        return reply(Pop3Replies.TLS_REQUIRED);
      }
      if (pendingUser == null) {
        return protocolError(Pop3Replies.USER_FIRST, "PASS before USER");
      }
      String user = pendingUser;
      pendingUser = null;
      return login(user, password);
    } finally {
      Arrays.fill(password, (byte) 0);
    }
  }

  /** RFC 5034 section 4: PLAIN only, with or without an initial response. */
  private Next auth(Auth auth) throws IOException, InterruptedException {
    if (!loginsAllowed()) {
      return reply(Pop3Replies.TLS_REQUIRED);
    }
    if (!auth.mechanism().equals("PLAIN")) {
      return protocolError(Pop3Replies.MECHANISM_UNSUPPORTED, "AUTH " + auth.mechanism());
    }
    String response;
    if (auth.initialResponse().isPresent()) {
      // "=" is an empty initial response (section 4), which PLAIN cannot use.
      response = auth.initialResponse().get().equals("=") ? "" : auth.initialResponse().get();
    } else {
      out.write(new byte[] {'+', ' ', '\r', '\n'});
      out.flush();
      channel.readTimeout(settings.idleTimeout());
      Line line = input.readLine(MAX_SASL_RESPONSE);
      if (!(line instanceof Line.Text(byte[] bytes))) {
        return line instanceof Line.End ? Next.CLOSE : protocolError(Pop3Replies.BAD_SASL, "SASL line");
      }
      response = new String(bytes, StandardCharsets.US_ASCII);
      if (response.equals("*")) {
        return reply(Pop3Replies.AUTH_CANCELLED);
      }
    }
    Optional<PlainCredentials> credentials = PlainCredentials.decode(response);
    if (credentials.isEmpty()) {
      return protocolError(Pop3Replies.BAD_SASL, "malformed PLAIN response");
    }
    try {
      return login(credentials.get().user(), credentials.get().password());
    } finally {
      Arrays.fill(credentials.get().password(), (byte) 0);
    }
  }

  private Next login(String user, byte[] password) throws IOException, InterruptedException {
    return switch (logins.check(user, password, channel.clientAddress())) {
      case Login.Accepted accepted -> openMaildrop(accepted.user());
      case Login.Rejected rejected -> {
        log.info("{} login failed for {}", name, user);
        yield reply(Pop3Replies.LOGIN_FAILED);
      }
      case Login.Throttled throttled -> {
        log.info("{} login throttled for {}", name, user);
        yield reply(Pop3Replies.THROTTLED);
      }
      case Login.LockedOut lockedOut -> {
        log.info("{} login locked out for {}", name, user);
        yield replyAndClose(Pop3Replies.LOCKED_OUT);
      }
    };
  }

  /** RFC 1939 section 8: the maildrop is locked for the session, or the login fails [IN-USE]. */
  private Next openMaildrop(String user) throws IOException {
    Maildrop.Opening opening;
    try {
      opening = Maildrop.open(store, user);
    } catch (IOException e) {
      log.warn("{} maildrop of {} cannot be opened: {}", name, user, e.toString());
      return reply(Pop3Replies.MAILDROP_FAILED);
    }
    return switch (opening) {
      case Maildrop.Opening.InUse inUse -> {
        log.info("{} maildrop of {} is in use", name, user);
        yield reply(Pop3Replies.IN_USE);
      }
      case Maildrop.Opening.Opened(Maildrop opened) -> {
        maildrop = opened;
        log.info("{} logged in as {} ({} messages)", name, user, opened.count());
        yield reply(Pop3Reply.ok("logged in, " + opened.count() + " messages (" + opened.octets() + " octets)"));
      }
    };
  }

  private Next mechanisms() throws IOException {
    reply(Pop3Replies.MECHANISMS);
    if (loginsAllowed()) {
      line("PLAIN");
    }
    return end();
  }

  /** RFC 2449 section 5; USER, SASL and STLS only where they would be accepted now. */
  private Next capabilities() throws IOException {
    reply(Pop3Replies.CAPABILITIES);
    line("TOP");
    line("UIDL");
    line("RESP-CODES");
    line("AUTH-RESP-CODE");
    line("PIPELINING");
    if (maildrop == null && loginsAllowed()) {
      line("USER");
      line("SASL PLAIN");
    }
    if (maildrop == null && channel.tlsAvailable() && !channel.secure()) {
      line("STLS");
    }
    line("IMPLEMENTATION Vireo");
    return end();
  }

  /**
   * STLS (RFC 2595 section 4). Whatever the client pipelined behind it is dropped unread before the
   * handshake (section 3.1, CVE-2011-0411), and a USER given before is forgotten.
   */
  private Next stls() throws IOException {
    if (channel.secure()) {
      return protocolError(Pop3Replies.TLS_ALREADY_ACTIVE, "STLS under TLS");
    }
    if (!channel.tlsAvailable()) {
      return protocolError(Pop3Replies.TLS_NOT_AVAILABLE, "STLS without a certificate");
    }
    int dropped = input.discardBuffered();
    if (dropped > 0) {
      log.info("{} discarded {} octets sent in plaintext behind STLS", name, dropped);
    }
    reply(Pop3Replies.BEGIN_TLS);
    out.flush();
    try {
      channel.startTls();
    } catch (IOException e) {
      log.debug("{} TLS handshake failed: {}", name, e.toString());
      return Next.CLOSE;
    }
    pendingUser = null;
    return Next.CONTINUE;
  }

  // ---- TRANSACTION ----

  private Next list(OptionalInt message) throws IOException {
    if (message.isPresent()) {
      int n = message.getAsInt();
      Optional<Pop3Reply> refusal = refusal(n);
      return refusal.isPresent()
          ? reply(refusal.get())
          : reply(Pop3Reply.ok(n + " " + maildrop.message(n).size()));
    }
    reply(Pop3Reply.ok(maildrop.count() + " messages (" + maildrop.octets() + " octets)"));
    for (int n = 1; n <= maildrop.size(); n++) {
      if (!maildrop.isDeleted(n)) {
        line(n + " " + maildrop.message(n).size());
      }
    }
    return end();
  }

  private Next uniqueIds(OptionalInt message) throws IOException {
    if (message.isPresent()) {
      int n = message.getAsInt();
      Optional<Pop3Reply> refusal = refusal(n);
      return refusal.isPresent()
          ? reply(refusal.get())
          : reply(Pop3Reply.ok(n + " " + maildrop.uniqueId(n)));
    }
    reply(Pop3Replies.UNIQUE_IDS);
    for (int n = 1; n <= maildrop.size(); n++) {
      if (!maildrop.isDeleted(n)) {
        line(n + " " + maildrop.uniqueId(n));
      }
    }
    return end();
  }

  /** RETR ({@code bodyLines} negative) and TOP: the content streamed from its file, dot-stuffed. */
  private Next retrieve(int n, int bodyLines) throws IOException {
    Optional<Pop3Reply> refusal = refusal(n);
    if (refusal.isPresent()) {
      return reply(refusal.get());
    }
    InputStream content;
    try {
      content = maildrop.content(n);
    } catch (IOException e) {
      if (Maildrop.isGone(e)) {
        return reply(Pop3Replies.MESSAGE_GONE);
      }
      log.warn("{} message {} cannot be read: {}", name, n, e.toString());
      return reply(Pop3Replies.READ_FAILED);
    }
    try (content) {
      reply(bodyLines < 0 ? Pop3Replies.messageFollows(maildrop.message(n).size()) : Pop3Replies.TOP_FOLLOWS);
      MessageWriter.write(content, out, bodyLines);
    }
    return Next.CONTINUE;
  }

  private Next delete(int n) throws IOException {
    Optional<Pop3Reply> refusal = refusal(n);
    if (refusal.isPresent()) {
      return reply(refusal.get());
    }
    maildrop.markDeleted(n);
    return reply(Pop3Replies.MARKED_DELETED);
  }

  /** Why message {@code n} cannot be used, if it cannot. */
  private Optional<Pop3Reply> refusal(int n) {
    if (!maildrop.exists(n)) {
      return Optional.of(Pop3Replies.NO_SUCH_MESSAGE);
    }
    return maildrop.isDeleted(n) ? Optional.of(Pop3Replies.ALREADY_DELETED) : Optional.empty();
  }

  /** QUIT in TRANSACTION: the UPDATE state (RFC 1939 section 6). */
  private Next update() throws IOException {
    try {
      maildrop.update();
    } catch (IOException e) {
      log.warn("{} UPDATE failed: {}", name, e.toString());
      return replyAndClose(Pop3Replies.UPDATE_FAILED);
    } finally {
      maildrop.close();
      maildrop = null;
    }
    return replyAndClose(Pop3Replies.signingOff(settings.hostname()));
  }

  // ---- replies ----

  private Next reply(Pop3Reply reply) throws IOException {
    out.write(reply.toBytes());
    return Next.CONTINUE;
  }

  private void line(String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.write(CRLF);
  }

  private Next end() throws IOException {
    out.write(END);
    return Next.CONTINUE;
  }

  private Next replyAndClose(Pop3Reply reply) throws IOException {
    reply(reply);
    out.flush();
    return Next.CLOSE;
  }

  /** Counts a client error; past {@code maxErrors} the session ends. */
  private Next protocolError(Pop3Reply reply, String what) throws IOException {
    errors++;
    log.debug("{} {}: {}", name, what, reply);
    if (errors > settings.maxErrors()) {
      return replyAndClose(Pop3Replies.TOO_MANY_ERRORS);
    }
    return reply(reply);
  }

  private void send(Pop3Reply reply) throws IOException {
    reply(reply);
  }

  /** A last line on a connection about to close; failing to send it is expected. */
  private void sendLast(Pop3Reply reply) {
    try {
      reply(reply);
      out.flush();
    } catch (IOException e) {
      log.debug("{} could not send {}: {}", name, reply, e.toString());
    }
  }
}
