package io.vireo.relay.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.IntFunction;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A scriptable SMTP server for delivery tests: listens on a loopback address, serves each
 * connection on a virtual thread, records every command and every message it receives, and answers
 * as scripted. Behaviour can be changed at any time; a change applies from the next command on.
 *
 * <pre>{@code
 * try (var server = new ScriptedSmtpServer("127.0.0.3")
 *     .onRcpt(address -> address.startsWith("bad") ? "550 5.1.1 No such user" : null)) {
 *   ... deliver to server.address() ...
 *   var messages = server.awaitMessages(1, Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <p>Scripts return the reply line to send, or null for the default answer. By default the server
 * advertises PIPELINING, 8BITMIME, ENHANCEDSTATUSCODES and SMTPUTF8, and accepts everything. Like a
 * real RFC 2920 server it flushes its replies only when it has no further input buffered, and it
 * refuses MAIL and RCPT parameters of extensions it did not advertise ({@code 555 5.5.4}).
 *
 * <p>With {@link #withAuth} it is a smarthost that takes mail only from an authenticated client
 * (SMTP AUTH, RFC 4954, with PLAIN and LOGIN) and records the user with each message.
 */
public final class ScriptedSmtpServer implements AutoCloseable {
  private static final int MAX_LINE = 1 << 20;
  private static final List<String> DEFAULT_EXTENSIONS =
      List.of("PIPELINING", "8BITMIME", "ENHANCEDSTATUSCODES", "SMTPUTF8");

  /**
   * One message whose content the server read to the end, whatever it answered.
   *
   * @param connection the 1-based number of the connection it came on
   * @param mailFrom the reverse-path without angle brackets
   * @param mailParameters the MAIL FROM parameters as sent, e.g. {@code SIZE=120}
   * @param recipients the accepted forward-paths, in order
   * @param recipientCommands the full RCPT command lines of the accepted recipients
   * @param data the content after removing dot-stuffing, without the terminating {@code .CRLF}
   * @param wire the content bytes exactly as received, terminator included
   * @param tls whether the session was under TLS
   * @param reply what the server answered after the content
   * @param authenticatedUser the user the session authenticated as (SMTP AUTH), or null
   */
  public record ReceivedMessage(
      int connection,
      String mailFrom,
      List<String> mailParameters,
      List<String> recipients,
      List<String> recipientCommands,
      byte[] data,
      byte[] wire,
      boolean tls,
      String reply,
      String authenticatedUser) {

    public String dataAsString() {
      return new String(data, StandardCharsets.UTF_8);
    }

    public boolean accepted() {
      return reply.startsWith("2");
    }
  }

  private final ServerSocket listener;
  private final Thread acceptor;
  private final List<Session> sessions = new CopyOnWriteArrayList<>();
  private final List<ReceivedMessage> received = new ArrayList<>();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger dataCommands = new AtomicInteger();
  private final AtomicInteger contents = new AtomicInteger();
  private final AtomicInteger drops = new AtomicInteger();
  private final AtomicInteger dropsAfterData = new AtomicInteger();
  private final AtomicInteger stalls = new AtomicInteger();
  private final CountDownLatch closed = new CountDownLatch(1);
  private int sessionsEnded;

  private volatile String hostname = "mx.scripted.test";
  private volatile String greeting;
  private volatile List<String> extensions = DEFAULT_EXTENSIONS;
  private volatile List<String> extensionsAfterTls = List.of("AUTH PLAIN LOGIN");
  private volatile long sizeLimit = -1;
  private volatile SSLContext tlsContext;
  private volatile String startTlsReply;
  private volatile String injectAfterStartTls = "";
  private volatile boolean rejectEhlo;
  private volatile Duration replyDelay = Duration.ZERO;
  // user -> password; empty: no AUTH. Copied on write, so sessions read a consistent map.
  private volatile Map<String, String> users = Map.of();
  private volatile List<String> authMechanisms = List.of("PLAIN", "LOGIN");
  private volatile boolean authOnlyAfterStartTls;
  private volatile Function<String, String> onAuth = user -> null;
  private volatile Function<String, String> onMail = address -> null;
  private volatile Function<String, String> onRcpt = address -> null;
  private volatile IntFunction<String> onDataCommand = n -> null;
  private volatile IntFunction<String> onData = n -> null;

  /** Listens on an ephemeral port of {@code host}, which must be a loopback address. */
  public ScriptedSmtpServer(String host) throws IOException {
    this(host, 0);
  }

  public ScriptedSmtpServer(String host, int port) throws IOException {
    InetAddress address = InetAddress.getByName(host);
    if (!address.isLoopbackAddress()) {
      throw new IllegalArgumentException("tests only listen on loopback: " + host);
    }
    this.listener = new ServerSocket();
    listener.bind(new InetSocketAddress(address, port), 200);
    this.acceptor =
        Thread.ofVirtual()
            .name("scripted-smtp-accept-" + listener.getLocalPort())
            .start(this::accept);
  }

  /** A server on 127.0.0.1 with an ephemeral port. */
  public static ScriptedSmtpServer start() throws IOException {
    return new ScriptedSmtpServer("127.0.0.1");
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) listener.getLocalSocketAddress();
  }

  public int port() {
    return listener.getLocalPort();
  }

  // ---- scripting ----------------------------------------------------------------------------

  /** The name in the greeting and the first EHLO line. */
  public ScriptedSmtpServer hostname(String name) {
    this.hostname = name;
    return this;
  }

  /**
   * Greets with this reply instead of 220. After a 421 the server hangs up at once; after anything
   * else it answers 503 to every command but QUIT (RFC 5321 section 3.1).
   */
  public ScriptedSmtpServer greeting(String reply) {
    this.greeting = reply;
    return this;
  }

  /**
   * Replaces the advertised EHLO keywords (SIZE, STARTTLS are still added by their own switches).
   */
  public ScriptedSmtpServer advertise(String... keywords) {
    this.extensions = List.of(keywords);
    return this;
  }

  public ScriptedSmtpServer withoutPipelining() {
    return without("PIPELINING");
  }

  public ScriptedSmtpServer withoutEightBitMime() {
    return without("8BITMIME");
  }

  public ScriptedSmtpServer withoutSmtpUtf8() {
    return without("SMTPUTF8");
  }

  public ScriptedSmtpServer withDsn() {
    return with("DSN");
  }

  /** Advertises SIZE with this limit (0: SIZE without a limit) and enforces it. */
  public ScriptedSmtpServer withSize(long limit) {
    this.sizeLimit = limit;
    return this;
  }

  /** Offers STARTTLS (RFC 3207), presenting the certificate of {@code context}. */
  public ScriptedSmtpServer withStartTls(SSLContext context) {
    this.tlsContext = Objects.requireNonNull(context);
    return this;
  }

  /** Extra keywords advertised only after STARTTLS; by default {@code AUTH PLAIN LOGIN}. */
  public ScriptedSmtpServer advertiseAfterTls(String... keywords) {
    this.extensionsAfterTls = List.of(keywords);
    return this;
  }

  /**
   * Answers STARTTLS with this reply (e.g. {@code 454 4.7.0 TLS not available}) and stays plain.
   */
  public ScriptedSmtpServer refuseStartTls(String reply) {
    this.startTlsReply = reply;
    return this;
  }

  /**
   * Sends {@code lines} (CRLF-terminated) in the same write as the 220 to STARTTLS: an injection.
   */
  public ScriptedSmtpServer injectAfterStartTls(String lines) {
    this.injectAfterStartTls = lines;
    return this;
  }

  /**
   * Requires SMTP AUTH (RFC 4954) and accepts this user (call again to accept more): advertises
   * {@code AUTH PLAIN LOGIN} (instead of the default after-TLS {@code AUTH} keyword), verifies
   * PLAIN (RFC 4616, with or without an initial response) and LOGIN exchanges, answers wrong
   * credentials with {@code 535 5.7.8} and MAIL before authentication with {@code 530 5.7.0}.
   */
  public ScriptedSmtpServer withAuth(String username, String password) {
    Map<String, String> next = new HashMap<>(users);
    next.put(Objects.requireNonNull(username), Objects.requireNonNull(password));
    this.users = Map.copyOf(next);
    return this;
  }

  /** The mechanisms {@link #withAuth} advertises and accepts, e.g. {@code "LOGIN"} alone. */
  public ScriptedSmtpServer authMechanisms(String... mechanisms) {
    this.authMechanisms = List.of(mechanisms);
    return this;
  }

  /**
   * Advertises AUTH only once the session is under TLS and answers an AUTH before that with {@code
   * 538 5.7.11} (RFC 4954 section 6), as careful submission servers do. Needs {@link
   * #withStartTls}.
   */
  public ScriptedSmtpServer authOnlyAfterStartTls() {
    this.authOnlyAfterStartTls = true;
    return this;
  }

  /**
   * Decides the reply to a complete AUTH exchange from the user name presented, before the
   * credentials are checked ({@code user -> "454 4.7.0 Temporary authentication failure"}); null
   * checks them.
   */
  public ScriptedSmtpServer onAuth(Function<String, String> script) {
    this.onAuth = script;
    return this;
  }

  /** Answers EHLO with {@code 502 5.5.2}, like a pre-ESMTP server, so the client must use HELO. */
  public ScriptedSmtpServer rejectEhlo() {
    this.rejectEhlo = true;
    return this;
  }

  /** Waits this long before every reply, the greeting included. */
  public ScriptedSmtpServer delayEachReply(Duration delay) {
    this.replyDelay = delay;
    return this;
  }

  /** Decides the reply to MAIL FROM from the reverse-path; null accepts. */
  public ScriptedSmtpServer onMail(Function<String, String> script) {
    this.onMail = script;
    return this;
  }

  /** Decides the reply to RCPT TO from the forward-path; null accepts. */
  public ScriptedSmtpServer onRcpt(Function<String, String> script) {
    this.onRcpt = script;
    return this;
  }

  /**
   * Decides the reply to the DATA command itself from its 1-based count on this server; null
   * answers 354 and reads the content if there is a transaction with recipients. A scripted 354
   * reads content even without one, as a broken server would.
   */
  public ScriptedSmtpServer onDataCommand(IntFunction<String> script) {
    this.onDataCommand = script;
    return this;
  }

  /**
   * Decides the reply after the content from the 1-based count of contents received on this server
   * ({@code n -> n == 1 ? "451 4.3.0 Try later" : null} fails only the first); null accepts.
   */
  public ScriptedSmtpServer onData(IntFunction<String> script) {
    this.onData = script;
    return this;
  }

  /** The next {@code count} messages: after 354 and the first line of content, hang up. */
  public ScriptedSmtpServer dropConnectionDuringData(int count) {
    drops.set(count);
    return this;
  }

  /**
   * The next {@code count} messages: read the content to its terminating dot, then hang up without
   * answering (and without recording the message), so the client cannot know whether it was taken.
   */
  public ScriptedSmtpServer dropConnectionAfterData(int count) {
    dropsAfterData.set(count);
    return this;
  }

  /**
   * The next {@code count} messages: after 354, stop reading until the server is closed, so the
   * client's writes fill the socket buffers and block.
   */
  public ScriptedSmtpServer stallDuringData(int count) {
    stalls.set(count);
    return this;
  }

  /**
   * Sends {@code reply} (e.g. {@code 421 4.4.2 Idle timeout}) on every open connection and closes
   * them, as a server does to idle clients it sheds.
   */
  public void disconnectAll(String reply) {
    for (Session session : sessions) {
      session.disconnect(reply);
    }
  }

  // ---- observation --------------------------------------------------------------------------

  /** Connections accepted so far. */
  public int connectionCount() {
    return connections.get();
  }

  /** Messages accepted (2xx after the content), in arrival order. */
  public List<ReceivedMessage> messages() {
    return transactions().stream().filter(ReceivedMessage::accepted).toList();
  }

  /** Every message whose content was read, accepted or not. */
  public List<ReceivedMessage> transactions() {
    lock.lock();
    try {
      return List.copyOf(received);
    } finally {
      lock.unlock();
    }
  }

  /** Every command line received on connection {@code connection} (1-based), in order. */
  public List<String> commands(int connection) {
    return session(connection).commands();
  }

  /** Every command line on every connection, in connection order. */
  public List<String> commands() {
    List<String> all = new ArrayList<>();
    for (Session session : sessions) {
      all.addAll(session.commands());
    }
    return all;
  }

  /**
   * The commands of one connection grouped by the socket read that completed them: a pipelining
   * client's MAIL, RCPTs and DATA arrive as one group, a lock-step client's one by one.
   */
  public List<List<String>> commandBatches(int connection) {
    return session(connection).batches();
  }

  /**
   * How many MAIL commands on connection {@code connection} arrived in the same socket read as the
   * terminating dot of the message before: a client pipelining the next transaction behind the
   * content (RFC 2920 section 3.1) sends them in one write.
   */
  public int mailsWithPreviousDot(int connection) {
    return session(connection).mailsWithPreviousDot.get();
  }

  /**
   * Waits until at least {@code count} messages were accepted; fails the test after {@code
   * timeout}.
   */
  public List<ReceivedMessage> awaitMessages(int count, Duration timeout) {
    awaitCondition(() -> messagesLocked() >= count, timeout, count + " accepted messages");
    return messages();
  }

  /** Waits until at least {@code count} connections have ended. */
  public void awaitSessionsEnded(int count, Duration timeout) {
    awaitCondition(() -> sessionsEnded >= count, timeout, count + " ended sessions");
  }

  public int sessionsEnded() {
    lock.lock();
    try {
      return sessionsEnded;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() throws IOException {
    closed.countDown();
    listener.close();
    for (Session session : sessions) {
      session.closeSocket();
    }
    try {
      acceptor.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- internals ----------------------------------------------------------------------------

  private ScriptedSmtpServer without(String keyword) {
    this.extensions = extensions.stream().filter(k -> !k.equalsIgnoreCase(keyword)).toList();
    return this;
  }

  private ScriptedSmtpServer with(String keyword) {
    List<String> next = new ArrayList<>(extensions);
    next.add(keyword);
    this.extensions = List.copyOf(next);
    return this;
  }

  private Session session(int connection) {
    for (Session session : sessions) {
      if (session.number == connection) {
        return session;
      }
    }
    throw new IllegalArgumentException("no connection number " + connection);
  }

  private int messagesLocked() {
    int n = 0;
    for (ReceivedMessage message : received) {
      if (message.accepted()) {
        n++;
      }
    }
    return n;
  }

  private void awaitCondition(BooleanSupplier condition, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    lock.lock();
    try {
      while (!condition.getAsBoolean()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("timed out after " + timeout + " waiting for " + what);
        }
        changed.await(left, TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for " + what, e);
    } finally {
      lock.unlock();
    }
  }

  private void accept() {
    while (!listener.isClosed()) {
      Socket socket;
      try {
        socket = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      int number = connections.incrementAndGet();
      Session session = new Session(number, socket);
      sessions.add(session);
      Thread.ofVirtual().name("scripted-smtp-session-" + number).start(session::run);
    }
  }

  private void record(ReceivedMessage message) {
    lock.lock();
    try {
      received.add(message);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void sessionEnded() {
    lock.lock();
    try {
      sessionsEnded++;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** One connection's dialogue. */
  private final class Session {
    final int number;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final List<List<String>> batches = new CopyOnWriteArrayList<>();
    private final byte[] buffer = new byte[16 * 1024];
    private volatile Socket socket;
    private InputStream in;
    private OutputStream out;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private int position;
    private int limit;
    private int reads;
    private int lastCommandRead = -1;
    private int dotRead = -1;
    final AtomicInteger mailsWithPreviousDot = new AtomicInteger();
    private List<String> batch;
    private boolean tls;
    private String authenticatedUser;
    private String mailFrom;
    private List<String> mailParameters;
    private final List<String> recipients = new ArrayList<>();
    private final List<String> recipientCommands = new ArrayList<>();

    Session(int number, Socket socket) {
      this.number = number;
      this.socket = socket;
    }

    List<String> commands() {
      return List.copyOf(commands);
    }

    List<List<String>> batches() {
      return batches.stream().map(List::copyOf).toList();
    }

    void run() {
      try {
        in = socket.getInputStream();
        out = socket.getOutputStream();
        dialogue();
      } catch (IOException e) {
        // The client hung up or the test closed the server.
      } finally {
        closeSocket();
        sessionEnded();
      }
    }

    private void dialogue() throws IOException {
      String greetingLine = greeting;
      if (greetingLine != null && !greetingLine.startsWith("220")) {
        reply(greetingLine);
        flush();
        if (greetingLine.startsWith("421")) {
          return;
        }
        while (true) {
          String command = readCommand();
          if (command.toUpperCase(Locale.ROOT).startsWith("QUIT")) {
            reply("221 2.0.0 Bye");
            flush();
            return;
          }
          reply("503 5.5.1 Bad sequence of commands");
        }
      }
      reply(greetingLine != null ? greetingLine : "220 " + hostname + " ESMTP scripted");
      while (true) {
        String line = readCommand();
        String upper = line.toUpperCase(Locale.ROOT);
        String verb = upper.split(" ", 2)[0];
        switch (verb) {
          case "EHLO" -> ehlo();
          case "HELO" -> {
            resetTransaction();
            reply("250 " + hostname);
          }
          case "MAIL" -> mail(line);
          case "RCPT" -> rcpt(line);
          case "DATA" -> {
            if (!data()) {
              return;
            }
          }
          case "RSET" -> {
            resetTransaction();
            reply("250 2.0.0 Ok");
          }
          case "NOOP" -> reply("250 2.0.0 Ok");
          case "STARTTLS" -> startTls();
          case "AUTH" -> auth(line);
          case "QUIT" -> {
            reply("221 2.0.0 Bye");
            flush();
            return;
          }
          default -> reply("500 5.5.2 Command not recognized");
        }
      }
    }

    private void ehlo() {
      resetTransaction();
      if (rejectEhlo) {
        reply("502 5.5.2 Command not recognized");
        return;
      }
      List<String> lines = new ArrayList<>();
      lines.add(hostname + " greets you");
      lines.addAll(extensions);
      if (sizeLimit >= 0) {
        lines.add(sizeLimit > 0 ? "SIZE " + sizeLimit : "SIZE");
      }
      if (tlsContext != null && !tls) {
        lines.add("STARTTLS");
      }
      if (tls) {
        for (String keyword : extensionsAfterTls) {
          // With withAuth the AUTH keyword is the configured one, never this default.
          if (users.isEmpty() || !keyword.toUpperCase(Locale.ROOT).startsWith("AUTH")) {
            lines.add(keyword);
          }
        }
      }
      if (authOffered()) {
        lines.add("AUTH " + String.join(" ", authMechanisms));
      }
      StringBuilder reply = new StringBuilder();
      for (int i = 0; i < lines.size(); i++) {
        reply.append(i == lines.size() - 1 ? "250 " : "250-").append(lines.get(i));
        if (i < lines.size() - 1) {
          reply.append("\r\n");
        }
      }
      reply(reply.toString());
    }

    private void mail(String line) {
      if (mailFrom != null) {
        reply("503 5.5.1 Nested MAIL command");
        return;
      }
      if (!users.isEmpty() && authenticatedUser == null) {
        reply("530 5.7.0 Authentication required"); // RFC 4954 section 6
        return;
      }
      Path path = Path.parse(line, "MAIL FROM:");
      if (path == null) {
        reply("501 5.5.4 Syntax: MAIL FROM:<address>");
        return;
      }
      for (String parameter : path.parameters) {
        String problem = checkMailParameter(parameter);
        if (problem != null) {
          reply(problem);
          return;
        }
      }
      String scripted = onMail.apply(path.address);
      if (scripted != null) {
        reply(scripted);
        return;
      }
      mailFrom = path.address;
      mailParameters = path.parameters;
      reply("250 2.1.0 Ok");
    }

    private String checkMailParameter(String parameter) {
      String upper = parameter.toUpperCase(Locale.ROOT);
      if (upper.startsWith("SIZE=") && sizeLimit >= 0) {
        long size = Long.parseLong(parameter.substring(5));
        return sizeLimit > 0 && size > sizeLimit ? "552 5.3.4 Message too big" : null;
      }
      if (upper.equals("BODY=7BIT")
          || (upper.equals("BODY=8BITMIME") && advertised("8BITMIME"))
          || (upper.equals("SMTPUTF8") && advertised("SMTPUTF8"))
          || ((upper.startsWith("RET=") || upper.startsWith("ENVID=")) && advertised("DSN"))) {
        return null;
      }
      return "555 5.5.4 Unsupported parameter " + parameter;
    }

    private void rcpt(String line) {
      if (mailFrom == null) {
        reply("503 5.5.1 Need MAIL first");
        return;
      }
      Path path = Path.parse(line, "RCPT TO:");
      if (path == null) {
        reply("501 5.5.4 Syntax: RCPT TO:<address>");
        return;
      }
      for (String parameter : path.parameters) {
        String upper = parameter.toUpperCase(Locale.ROOT);
        boolean dsn = upper.startsWith("NOTIFY=") || upper.startsWith("ORCPT=");
        if (!dsn || !advertised("DSN")) {
          reply("555 5.5.4 Unsupported parameter " + parameter);
          return;
        }
      }
      String scripted = onRcpt.apply(path.address);
      if (scripted != null) {
        reply(scripted);
        if (!scripted.startsWith("2")) {
          return;
        }
      } else {
        reply("250 2.1.5 Ok");
      }
      recipients.add(path.address);
      recipientCommands.add(line);
    }

    /** Returns false when the session must end (a scripted drop). */
    private boolean data() throws IOException {
      // The script goes first so a test can make the server misbehave (354 with no recipients).
      String scripted = onDataCommand.apply(dataCommands.incrementAndGet());
      if (scripted != null && !scripted.startsWith("354")) {
        reply(scripted);
        return true;
      }
      if (scripted == null && mailFrom == null) {
        reply("503 5.5.1 Need MAIL first");
        return true;
      }
      if (scripted == null && recipients.isEmpty()) {
        reply("554 5.5.1 No valid recipients");
        return true;
      }
      reply(scripted != null ? scripted : "354 End data with <CR><LF>.<CR><LF>");
      flush();
      if (stalls.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        try {
          closed.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return false;
      }
      if (drops.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        readLine(); // let the content start, then vanish
        socket.setSoLinger(true, 0); // RST: the client's next write or read fails
        return false;
      }
      ByteArrayOutputStream wire = new ByteArrayOutputStream();
      ByteArrayOutputStream data = new ByteArrayOutputStream();
      while (true) {
        byte[] line = readLine();
        wire.writeBytes(line);
        if (line.length == 3 && line[0] == '.' && line[1] == '\r' && line[2] == '\n') {
          dotRead = reads;
          break;
        }
        int skip = line.length > 0 && line[0] == '.' ? 1 : 0; // RFC 5321 section 4.5.2
        data.write(line, skip, line.length - skip);
      }
      if (dropsAfterData.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        socket.setSoLinger(true, 0); // RST before any reply: the client's read fails
        return false;
      }
      String answer;
      if (sizeLimit > 0 && data.size() > sizeLimit) {
        answer = "552 5.3.4 Message too big";
      } else {
        int n = contents.incrementAndGet();
        String finalReply = onData.apply(n);
        answer = finalReply != null ? finalReply : "250 2.0.0 Ok: queued as M" + n;
      }
      record(
          new ReceivedMessage(
              number,
              Objects.requireNonNullElse(mailFrom, ""),
              mailParameters == null ? List.of() : List.copyOf(mailParameters),
              List.copyOf(recipients),
              List.copyOf(recipientCommands),
              data.toByteArray(),
              wire.toByteArray(),
              tls,
              answer,
              authenticatedUser));
      resetTransaction();
      reply(answer);
      return true;
    }

    private void startTls() throws IOException {
      if (tlsContext == null || tls) {
        reply("502 5.5.1 STARTTLS not offered");
        return;
      }
      if (startTlsReply != null) {
        reply(startTlsReply);
        return;
      }
      reply("220 2.0.0 Ready to start TLS");
      pending.writeBytes(injectAfterStartTls.getBytes(StandardCharsets.UTF_8));
      flush();
      // Whatever the client sent after STARTTLS in plain text is discarded (RFC 3207 section 4).
      position = limit;
      SSLSocket secure =
          (SSLSocket)
              tlsContext.getSocketFactory().createSocket(socket, null, socket.getPort(), true);
      secure.setUseClientMode(false);
      socket = secure;
      secure.startHandshake();
      in = secure.getInputStream();
      out = secure.getOutputStream();
      tls = true;
      authenticatedUser = null; // RFC 3207 section 4.2: forget what was known before TLS
      resetTransaction();
    }

    private boolean authOffered() {
      return !users.isEmpty() && (tls || !authOnlyAfterStartTls);
    }

    /** RFC 4954 section 4, with PLAIN (RFC 4616) and LOGIN. */
    private void auth(String line) throws IOException {
      Map<String, String> accepted = users;
      if (accepted.isEmpty()) {
        reply("502 5.5.1 AUTH not offered");
        return;
      }
      if (!authOffered()) {
        reply("538 5.7.11 Encryption required for requested authentication mechanism");
        return;
      }
      if (authenticatedUser != null) {
        reply("503 5.5.1 Already authenticated");
        return;
      }
      if (mailFrom != null) {
        reply("503 5.5.1 AUTH not permitted during a mail transaction");
        return;
      }
      String[] words = line.split(" ");
      String mechanism = words.length > 1 ? words[1].toUpperCase(Locale.ROOT) : "";
      String initial = words.length > 2 ? words[2] : null;
      if (!authMechanisms.contains(mechanism)) {
        reply("504 5.5.4 Unrecognized authentication type");
        return;
      }
      String user;
      String password;
      if (mechanism.equals("PLAIN")) {
        byte[] message = decode(initial != null ? initial : challenge(""));
        if (message == null) {
          return;
        }
        String[] fields = new String(message, StandardCharsets.UTF_8).split("\0", -1);
        if (fields.length != 3 || !(fields[0].isEmpty() || fields[0].equals(fields[1]))) {
          reply("535 5.7.8 Authentication credentials invalid");
          return;
        }
        user = fields[1];
        password = fields[2];
      } else if (mechanism.equals("LOGIN")) {
        byte[] name = decode(initial != null ? initial : challenge("VXNlcm5hbWU6"));
        if (name == null) {
          return;
        }
        byte[] secret = decode(challenge("UGFzc3dvcmQ6"));
        if (secret == null) {
          return;
        }
        user = new String(name, StandardCharsets.UTF_8);
        password = new String(secret, StandardCharsets.UTF_8);
      } else {
        reply("504 5.5.4 Unrecognized authentication type");
        return;
      }
      String scripted = onAuth.apply(user);
      if (scripted != null) {
        reply(scripted);
      } else if (password.equals(accepted.get(user))) {
        authenticatedUser = user;
        reply("235 2.7.0 Authentication successful");
      } else {
        reply("535 5.7.8 Authentication credentials invalid");
      }
    }

    /** Sends a 334 challenge and returns the client's answer, or null after a cancel. */
    private String challenge(String text) throws IOException {
      reply("334 " + text);
      String answer = readCommand();
      if (answer.equals("*")) {
        reply("501 5.0.0 Authentication cancelled");
        return null;
      }
      return answer;
    }

    /** The decoded response, or null after answering 501 to a cancel or to bad base64. */
    private byte[] decode(String response) {
      if (response == null) {
        return null;
      }
      if (response.equals("=")) {
        return new byte[0]; // RFC 4954 section 4: an empty initial response
      }
      try {
        return Base64.getDecoder().decode(response);
      } catch (IllegalArgumentException e) {
        reply("501 5.5.2 Cannot decode response");
        return null;
      }
    }

    private boolean advertised(String keyword) {
      return extensions.stream().anyMatch(k -> k.equalsIgnoreCase(keyword));
    }

    private void resetTransaction() {
      mailFrom = null;
      mailParameters = null;
      recipients.clear();
      recipientCommands.clear();
    }

    private String readCommand() throws IOException {
      byte[] line = readLine();
      int end = line.length;
      while (end > 0 && (line[end - 1] == '\n' || line[end - 1] == '\r')) {
        end--;
      }
      String command = new String(line, 0, end, StandardCharsets.UTF_8);
      commands.add(command);
      if (batch == null || reads != lastCommandRead) {
        batch = new CopyOnWriteArrayList<>();
        batches.add(batch);
      }
      batch.add(command);
      lastCommandRead = reads;
      if (reads == dotRead && command.regionMatches(true, 0, "MAIL", 0, 4)) {
        mailsWithPreviousDot.incrementAndGet();
      }
      return command;
    }

    /** One line including its LF (and CR if any). */
    private byte[] readLine() throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream(128);
      while (true) {
        if (position == limit) {
          flush(); // RFC 2920 section 3.1: reply when no more input is waiting
          int n = in.read(buffer);
          if (n < 0) {
            throw new EOFException();
          }
          reads++;
          position = 0;
          limit = n;
        }
        int start = position;
        while (position < limit && buffer[position] != '\n') {
          position++;
        }
        if (position < limit) {
          position++;
          line.write(buffer, start, position - start);
          return line.toByteArray();
        }
        line.write(buffer, start, position - start);
        if (line.size() > MAX_LINE) {
          throw new IOException("line too long");
        }
      }
    }

    private void reply(String text) {
      Duration delay = replyDelay;
      if (!delay.isZero()) {
        try {
          Thread.sleep(delay);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      writeLock.lock();
      try {
        pending.writeBytes((text + "\r\n").getBytes(StandardCharsets.UTF_8));
      } finally {
        writeLock.unlock();
      }
    }

    private void flush() throws IOException {
      writeLock.lock();
      try {
        if (pending.size() > 0) {
          out.write(pending.toByteArray());
          out.flush();
          pending.reset();
        }
      } finally {
        writeLock.unlock();
      }
    }

    void disconnect(String reply) {
      writeLock.lock();
      try {
        if (out != null && !socket.isClosed()) {
          out.write((reply + "\r\n").getBytes(StandardCharsets.UTF_8));
          out.flush();
        }
      } catch (IOException e) {
        // Already gone.
      } finally {
        writeLock.unlock();
      }
      closeSocket();
    }

    void closeSocket() {
      try {
        socket.close();
      } catch (IOException e) {
        // Nothing left to release.
      }
    }
  }

  /** The path and parameters of a MAIL FROM or RCPT TO line. */
  private record Path(String address, List<String> parameters) {
    static Path parse(String line, String prefix) {
      if (!line.regionMatches(true, 0, prefix, 0, prefix.length())) {
        return null;
      }
      String rest = line.substring(prefix.length()).stripLeading();
      if (!rest.startsWith("<")) {
        return null;
      }
      int close = rest.indexOf('>');
      if (close < 0) {
        return null;
      }
      String address = rest.substring(1, close);
      String tail = rest.substring(close + 1).strip();
      List<String> parameters = tail.isEmpty() ? List.of() : List.of(tail.split(" +"));
      return new Path(address, parameters);
    }
  }
}
