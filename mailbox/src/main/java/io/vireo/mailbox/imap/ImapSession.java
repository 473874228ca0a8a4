package io.vireo.mailbox.imap;

import io.vireo.mailbox.access.AccessChannel;
import io.vireo.mailbox.access.AccessSession;
import io.vireo.mailbox.access.Login;
import io.vireo.mailbox.access.Logins;
import io.vireo.mailbox.store.MailStore;
import io.vireo.mailbox.store.MailboxException;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One IMAP conversation (RFC 9051, with IMAP4rev1 clients in mind) over an {@link AccessChannel}:
 * reads commands, parses them with {@link ImapParser}, runs them and writes the responses. The
 * connection-level commands (CAPABILITY, STARTTLS, LOGIN, AUTHENTICATE, ENABLE, IDLE, LOGOUT) are
 * here; folder commands are in {@link MailboxCommands}, message commands in {@link
 * MessageCommands}. A failing command gets NO or BAD and the session goes on; only the channel
 * failing, a timeout or too many errors end it.
 */
public final class ImapSession implements AccessSession {
  private static final Logger LOG = LoggerFactory.getLogger(ImapSession.class);

  private final MailStore store;
  private final Logins logins;
  private final Supplier<ImapSettings> settings;
  private final FetchCache fetchCache = new FetchCache(FetchCache.DEFAULT_MAX_BYTES);

  public ImapSession(MailStore store, Logins logins, ImapSettings settings) {
    this(store, logins, constant(settings));
  }

  /**
   * @param settings asked once per connection, which keeps them to its end: a change (the relay's
   *     reload) reaches the next connection
   */
  public ImapSession(MailStore store, Logins logins, Supplier<ImapSettings> settings) {
    this.store = Objects.requireNonNull(store, "store");
    this.logins = Objects.requireNonNull(logins, "logins");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  private static Supplier<ImapSettings> constant(ImapSettings settings) {
    Objects.requireNonNull(settings, "settings");
    return () -> settings;
  }

  @Override
  public void serve(AccessChannel channel) throws IOException, InterruptedException {
    ImapSettings settings = Objects.requireNonNull(this.settings.get(), "settings");
    SessionState session = new SessionState(channel, store, settings, fetchCache);
    try {
      session.out.untagged("OK [" + session.capabilities() + "] " + settings.hostname() + " Vireo IMAP ready");
      loop(session);
    } catch (EOFException e) {
      LOG.trace("IMAP client {} closed the connection", channel.clientAddress());
    } catch (SocketTimeoutException e) {
      session.out.untagged("BYE Autologout; idle for too long");
      session.out.flush();
    } finally {
      session.deselect();
    }
  }

  private void loop(SessionState session) throws IOException, InterruptedException {
    MailboxCommands mailboxes = new MailboxCommands(session);
    MessageCommands messages = new MessageCommands(session);
    int errors = 0;
    while (true) {
      if (!session.in.hasBuffered()) {
        if (session.channel.draining()) {
          session.out.untagged("BYE Server shutting down");
          session.out.flush();
          return;
        }
        session.out.flush();
        ImapSettings settings = session.settings;
        session.channel.readTimeout(
            session.authenticated() ? settings.idleTimeout() : settings.loginTimeout());
      }
      ImapInput.Read read = session.in.command(() -> {
        session.out.text("+ Ready for literal data").crlf();
        session.out.flush();
      });
      ParsedCommand parsed =
          switch (read) {
            case ImapInput.Read.Command command -> ImapParser.parse(command.bytes());
            case ImapInput.Read.Refused refused ->
                refused.tooBig()
                    ? new ParsedCommand.Bad(refused.tag(), "[TOOBIG] " + refused.reason())
                    : new ParsedCommand.Bad(refused.tag(), refused.reason());
          };
      switch (parsed) {
        case ParsedCommand.Bad bad -> {
          session.out.tagged(bad.tag(), "BAD " + bad.reason());
          if (++errors >= session.settings.maxErrors()) {
            session.out.untagged("BYE Too many invalid commands");
            session.out.flush();
            return;
          }
        }
        case ParsedCommand.BadCharset bad ->
            session.out.tagged(bad.tag(), "NO [BADCHARSET (UTF-8 US-ASCII)] " + bad.reason());
        case ParsedCommand.Ok ok -> {
          if (!run(session, ok.tag(), ok.command(), mailboxes, messages)) {
            return;
          }
        }
      }
    }
  }

  /** Runs one command; false when the session ends. */
  private boolean run(
      SessionState session, String tag, ImapCommand command, MailboxCommands mailboxes, MessageCommands messages)
      throws IOException, InterruptedException {
    ResponseWriter out = session.out;
    try {
      switch (command) {
        case ImapCommand.Capability c -> {
          out.untagged(session.capabilities());
          out.tagged(tag, "OK CAPABILITY completed");
        }
        case ImapCommand.Noop n -> {
          updateSelected(session, true);
          out.tagged(tag, "OK NOOP completed");
        }
        case ImapCommand.Logout l -> {
          out.untagged("BYE Logging out");
          out.tagged(tag, "OK LOGOUT completed");
          out.flush();
          return false;
        }
        case ImapCommand.StartTls s -> startTls(session, tag);
        case ImapCommand.Login login -> {
          try {
            return login(session, tag, login.user(), login.password());
          } finally {
            Arrays.fill(login.password(), (byte) 0);
          }
        }
        case ImapCommand.Authenticate auth -> {
          return authenticate(session, tag, auth);
        }
        case ImapCommand.Id id -> {
          out.untagged("ID (\"name\" \"Vireo\")");
          out.tagged(tag, "OK ID completed");
        }
        case ImapCommand.Enable enable -> enable(session, tag, enable);
        case ImapCommand.Idle idle -> idle(session, tag);
        default -> {
          if (!session.authenticated()) {
            out.tagged(tag, "BAD Log in first");
          } else if (!mailboxes.run(tag, command)) {
            messages.run(tag, command);
          }
        }
      }
    } catch (MailboxException e) {
      out.tagged(tag, "NO " + MailboxCommands.code(e) + e.getMessage());
    } catch (EOFException | SocketTimeoutException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      LOG.warn("IMAP command {} of {} failed", command.getClass().getSimpleName(), session.user, e);
      out.tagged(tag, "NO [SERVERBUG] Internal error; the command was not completed");
    }
    return true;
  }

  static void updateSelected(SessionState session, boolean allowExpunge) throws IOException {
    if (session.selected != null) {
      session.selected.update(session.out, allowExpunge, session.condstore);
    }
  }

  private void startTls(SessionState session, String tag) throws IOException {
    if (session.channel.secure() || !session.channel.tlsAvailable()) {
      session.out.tagged(tag, "BAD TLS is not available here");
      return;
    }
    session.out.tagged(tag, "OK Begin TLS negotiation now");
    session.out.flush();
    // RFC 9051 section 6.2.1 (and CVE-2011-0411): anything pipelined after STARTTLS is dropped.
    session.in.discardBuffered();
    session.channel.startTls();
  }

  private boolean login(SessionState session, String tag, String user, byte[] password)
      throws IOException, InterruptedException {
    if (session.authenticated()) {
      session.out.tagged(tag, "BAD Already logged in");
      return true;
    }
    if (session.loginDisabled()) {
      session.out.tagged(tag, "NO [PRIVACYREQUIRED] Use STARTTLS first");
      return true;
    }
    Login result = logins.check(user, password, session.channel.clientAddress());
    switch (result) {
      case Login.Accepted accepted -> {
        // The Maildir first: a user the store cannot hold gets NO and stays logged out.
        store.createMaildir(accepted.user());
        try {
          store.createSpecialFolders(accepted.user());
        } catch (IOException e) {
          // Not a reason to refuse the login: the folders are a convenience, tried again next time.
          LOG.warn("IMAP could not make the special-use folders of {}", accepted.user(), e);
        }
        session.user = accepted.user();
        session.out.tagged(tag, "OK [" + session.capabilities() + "] Logged in");
      }
      case Login.Rejected r -> session.out.tagged(tag, "NO [AUTHENTICATIONFAILED] Authentication failed");
      case Login.Throttled t ->
          session.out.tagged(tag, "NO [UNAVAILABLE] Too many failed logins; try again later");
      case Login.LockedOut l -> {
        session.out.untagged("BYE Too many failed logins");
        session.out.tagged(tag, "NO [UNAVAILABLE] Locked out for a while");
        session.out.flush();
        return false;
      }
    }
    return true;
  }

  /** AUTHENTICATE PLAIN (RFC 4616), the initial response inline (SASL-IR, RFC 4959) or asked for. */
  private boolean authenticate(SessionState session, String tag, ImapCommand.Authenticate auth)
      throws IOException, InterruptedException {
    if (session.authenticated()) {
      session.out.tagged(tag, "BAD Already logged in");
      return true;
    }
    if (!auth.mechanism().equals("PLAIN")) {
      session.out.tagged(tag, "NO [CANNOT] Unsupported mechanism; use PLAIN");
      return true;
    }
    if (session.loginDisabled()) {
      session.out.tagged(tag, "NO [PRIVACYREQUIRED] Use STARTTLS first");
      return true;
    }
    String response = auth.initialResponse();
    if (response == null) {
      session.out.text("+ ").crlf();
      session.out.flush();
      response = session.in.textLine();
      if (response == null) {
        session.out.tagged(tag, "BAD Malformed response line");
        return true;
      }
      if (response.equals("*")) {
        session.out.tagged(tag, "BAD Authentication cancelled");
        return true;
      }
    }
    byte[] decoded;
    try {
      decoded = response.equals("=") ? new byte[0] : Base64.getDecoder().decode(response);
    } catch (IllegalArgumentException e) {
      session.out.tagged(tag, "BAD Invalid base64");
      return true;
    }
    try {
      int first = indexOf(decoded, 0);
      int second = first < 0 ? -1 : indexOf(decoded, first + 1);
      if (second < 0) {
        session.out.tagged(tag, "BAD Malformed PLAIN response");
        return true;
      }
      String authzid = new String(decoded, 0, first, StandardCharsets.UTF_8);
      String authcid = new String(decoded, first + 1, second - first - 1, StandardCharsets.UTF_8);
      if (!authzid.isEmpty() && !authzid.equals(authcid)) {
        session.out.tagged(tag, "NO [AUTHORIZATIONFAILED] Cannot act as another user");
        return true;
      }
      byte[] password = Arrays.copyOfRange(decoded, second + 1, decoded.length);
      try {
        return login(session, tag, authcid, password);
      } finally {
        Arrays.fill(password, (byte) 0);
      }
    } finally {
      Arrays.fill(decoded, (byte) 0);
    }
  }

  private static int indexOf(byte[] bytes, int from) {
    for (int i = from; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        return i;
      }
    }
    return -1;
  }

  private static void enable(SessionState session, String tag, ImapCommand.Enable enable) throws IOException {
    if (!session.authenticated()) {
      session.out.tagged(tag, "BAD Log in first");
      return;
    }
    StringBuilder enabled = new StringBuilder("ENABLED");
    for (String capability : enable.capabilities()) {
      if (capability.equals("IMAP4REV2") && !session.rev2) {
        session.rev2 = true;
        enabled.append(" IMAP4rev2");
      }
      if (capability.equals("CONDSTORE") && !session.condstore) {
        session.condstore = true;
        enabled.append(" CONDSTORE");
      }
    }
    session.out.untagged(enabled.toString());
    session.out.tagged(tag, "OK ENABLE completed");
  }

  /** IDLE (RFC 2177): changes are pushed as they happen until the client sends DONE. */
  private static void idle(SessionState session, String tag) throws IOException, InterruptedException {
    if (!session.authenticated()) {
      session.out.tagged(tag, "BAD Log in first");
      return;
    }
    new IdleWait(session).run(tag);
  }
}
