package io.vireo.relay.delivery.smtp;

import io.vireo.queue.BodyType;
import io.vireo.queue.Notify;
import io.vireo.queue.Recipient;
import io.vireo.queue.Ret;
import io.vireo.relay.protocol.SmtpReply;
import io.vireo.relay.protocol.Xtext;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open SMTP client session with a remote server, through which any number of messages can be
 * sent one after another (RFC 5321 section 3.3: the server resets its state after each
 * transaction). The server's EHLO capabilities are read once (and again after STARTTLS) and kept
 * with the connection; with credentials, the session authenticates (SMTP AUTH, RFC 4954) before it
 * is handed out, so every message on it is sent as that user.
 *
 * <p>Not thread-safe: one thread owns a connection at a time, handed over through the {@link
 * ConnectionPool}. {@link #usable()} and {@link #close()} may be called by the pool's sweeper while
 * the connection sits idle in it.
 */
public final class SmtpClientConnection implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SmtpClientConnection.class);

  /** QUIT is a courtesy; an unresponsive server must not hold up the caller for long. */
  private static final Duration QUIT_TIMEOUT = Duration.ofSeconds(5);

  /**
   * Most commands written before reading their replies. RFC 2920 section 3.1 warns that a client
   * writing without reading can deadlock once both sides' buffers fill; a hundred RCPT replies fit
   * in any socket buffer.
   */
  static final int MAX_PIPELINE_GROUP = 100;

  private final ClientTransport transport;
  private final ClientTimeouts timeouts;
  private final String remoteDescription;
  private final ServerCapabilities capabilities;
  private final boolean tlsActive;
  private final String authenticatedUser;
  private int transactions;
  // MAIL was accepted but the transaction never ended: the server needs RSET before the next MAIL.
  private boolean transactionOpen;
  // The next message's MAIL, RCPTs and DATA went out behind the last content; replies unread.
  private TransactionPlan started;
  private volatile boolean broken;
  private volatile boolean closed;

  private SmtpClientConnection(
      ClientTransport transport,
      ClientTimeouts timeouts,
      String remoteDescription,
      ServerCapabilities capabilities,
      boolean tlsActive,
      String authenticatedUser) {
    this.transport = transport;
    this.timeouts = timeouts;
    this.remoteDescription = remoteDescription;
    this.capabilities = capabilities;
    this.tlsActive = tlsActive;
    this.authenticatedUser = authenticatedUser;
  }

  /**
   * Connects, reads the greeting, says EHLO (HELO if the server rejects EHLO with 5xx) and applies
   * the TLS policy; the session does not authenticate.
   *
   * @see #open(InetSocketAddress, String, String, TlsPolicy, SmtpCredentials, SSLContext,
   *     ClientTimeouts)
   */
  public static SmtpClientConnection open(
      InetSocketAddress address,
      String serverName,
      String heloName,
      TlsPolicy tls,
      SSLContext sslContextOrNull,
      ClientTimeouts timeouts)
      throws SmtpClientException {
    return open(address, serverName, heloName, tls, null, sslContextOrNull, timeouts);
  }

  /**
   * Connects, reads the greeting, says EHLO (HELO if the server rejects EHLO with 5xx), applies the
   * TLS policy and, given credentials, authenticates with SMTP AUTH (RFC 4954): PLAIN if offered,
   * else LOGIN.
   *
   * <p>Credentials are only ever sent over TLS, unless {@code tls} is {@link TlsPolicy#NONE} (the
   * route asked for plain text). Under {@link TlsPolicy#OPPORTUNISTIC} a server that does not offer
   * STARTTLS, refuses it or fails the handshake therefore fails the connection rather than getting
   * the password in the clear, and there is no plain-text retry.
   *
   * @param address where to connect
   * @param serverName the MX host name: for logs, SNI and, under {@link TlsPolicy#VERIFY}, the name
   *     the certificate must match
   * @param heloName this relay's name, sent in EHLO
   * @param tls the route's STARTTLS policy
   * @param credentialsOrNull what to authenticate with; null to send without AUTH
   * @param sslContextOrNull the trust for {@link TlsPolicy#VERIFY}; null for the JDK default trust
   *     store. Ignored by the other policies, which accept any certificate
   * @param timeouts how long to wait at each step
   * @throws SmtpClientException if the server cannot be reached, greets with anything but 220 (the
   *     exception carries that reply), refuses EHLO and HELO, the TLS policy cannot be met, or the
   *     session could not authenticate: credentials rejected ({@code 535}, carried as the reply), a
   *     temporary AUTH failure ({@code 454}), no usable mechanism offered, or no TLS to send them
   *     over. Like every failure to open, the caller treats these as temporary (see {@link
   *     SmtpClientException})
   */
  public static SmtpClientConnection open(
      InetSocketAddress address,
      String serverName,
      String heloName,
      TlsPolicy tls,
      SmtpCredentials credentialsOrNull,
      SSLContext sslContextOrNull,
      ClientTimeouts timeouts)
      throws SmtpClientException {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(serverName, "serverName");
    Objects.requireNonNull(heloName, "heloName");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(timeouts, "timeouts");
    try {
      return establish(
          address, serverName, heloName, tls, credentialsOrNull, sslContextOrNull, timeouts, true);
    } catch (PlainTextRetry retry) {
      String remote = describe(serverName, address);
      if (credentialsOrNull != null) {
        // A plain-text session could not authenticate anyway (see ClientAuthentication).
        String reason =
            "TLS handshake with "
                + remote
                + " failed ("
                + retry.getCause().getMessage()
                + "); no plain-text retry, since the route authenticates as "
                + credentialsOrNull.username();
        log.warn("{}", reason);
        throw new SmtpClientException(reason, null, true, retry.getCause());
      }
      log.info(
          "TLS handshake with {} failed ({}); opportunistic TLS falls back to plain text",
          remote,
          retry.getCause().getMessage());
      try {
        return establish(
            address,
            serverName,
            heloName,
            tls,
            credentialsOrNull,
            sslContextOrNull,
            timeouts,
            false);
      } catch (PlainTextRetry impossible) {
        throw new IllegalStateException("TLS attempted on a plain-text retry", impossible);
      }
    }
  }

  /** A {@link ConnectionOpener} that opens connections with these settings for a pool key. */
  public static ConnectionOpener opener(
      String heloName, SSLContext sslContextOrNull, ClientTimeouts timeouts) {
    Objects.requireNonNull(heloName, "heloName");
    Objects.requireNonNull(timeouts, "timeouts");
    return key ->
        open(
            key.address(),
            key.serverName(),
            heloName,
            key.tls(),
            key.credentials(),
            sslContextOrNull,
            timeouts);
  }

  public ServerCapabilities capabilities() {
    return capabilities;
  }

  /** The server for logs and delivery reports, e.g. {@code mx1.example.test[127.0.0.3]:2525}. */
  public String remoteDescription() {
    return remoteDescription;
  }

  /** Whether STARTTLS succeeded on this connection. */
  public boolean tlsActive() {
    return tlsActive;
  }

  /** The user this session authenticated as (SMTP AUTH), or empty when it did not. */
  public Optional<String> authenticatedAs() {
    return Optional.ofNullable(authenticatedUser);
  }

  /** How many transactions (MAIL commands) this connection has carried. */
  public int transactions() {
    return transactions;
  }

  /**
   * Whether another message may be sent: not closed, no I/O failure or 421 seen, no message started
   * behind the last one (see {@link #hasStarted}), and the server has not sent anything unasked
   * while the connection was idle (usually a 421 before it hangs up).
   */
  public boolean usable() {
    if (closed || broken || started != null) {
      // A started transaction's replies are expected input, and only its own send may follow.
      return false;
    }
    if (transport.hasUnsolicitedInput()) {
      broken = true;
      return false;
    }
    return true;
  }

  /**
   * Not closed and no failure seen, without asking the socket: the cheap half of {@link #usable()}
   * for the pool's release path, where the connection was in use a moment ago.
   */
  boolean healthy() {
    return !closed && !broken && started == null;
  }

  /**
   * Sends one message and returns what became of each recipient. Replies decide per recipient: a
   * refused MAIL applies to all; each RCPT reply to its recipient; the reply to DATA, or after the
   * content, to every recipient whose RCPT was accepted. Uses PIPELINING (RFC 2920) when offered.
   *
   * <p>Some messages are refused locally, without a transaction, with a reply made up here: content
   * larger than the server's SIZE gets {@code 552 5.3.4} (RFC 1870 section 6.1); SMTPUTF8 needed
   * but not offered gets {@code 553 5.6.7} (RFC 6531 section 3.2); 8-bit content to a server
   * without 8BITMIME gets {@code 554 5.6.3} (RFC 6152 section 3: it must not be sent), as does
   * binary content that is not line-structured, since this client sends DATA and never BDAT.
   * Content declared 8-bit that is in fact 7-bit goes out without {@code BODY=8BITMIME}. A
   * recipient address with control characters gets {@code 501 5.1.3} and is not offered.
   *
   * @throws SmtpClientException when the connection fails or times out mid-transaction; no
   *     recipient is final then, and the connection is unusable
   * @throws IllegalStateException if the connection is closed or was broken earlier, or carries the
   *     started transaction of another message (see {@link #send(OutboundMessage,
   *     OutboundMessage)})
   */
  public TransactionResult send(OutboundMessage message) throws SmtpClientException {
    return send(message, null);
  }

  /**
   * {@link #send(OutboundMessage)}, and when the server offers PIPELINING and this message's
   * content goes out, also starts {@code nextOrNull}: its MAIL, RCPT and DATA commands are written
   * behind this message's terminating dot, in the same flush. RFC 2920 section 3.1 allows exactly
   * that (the commands that begin the next transaction may share a group with the final transfer of
   * the previous message), and it saves one round trip per message on a busy connection. Only this
   * message's final reply is read before returning; the next message's replies wait for its own
   * {@code send}.
   *
   * <p>When {@link #hasStarted hasStarted(next)} is true afterwards, the connection is committed:
   * the next call must send that very message (the same instance), or the connection must be
   * closed, which aborts the started transaction without delivering it (RFC 5321 section 4.1.1.4:
   * only the end-of-data indicator completes a transaction). Until then {@link #usable()} is false,
   * so such a connection is never pooled. A failure while this message is sent leaves nothing
   * started; the next message then had none of its content sent.
   *
   * @param nextOrNull the message to start behind this one, or null
   */
  public TransactionResult send(OutboundMessage message, OutboundMessage nextOrNull)
      throws SmtpClientException {
    Objects.requireNonNull(message, "message");
    if (closed || broken) {
      throw new IllegalStateException("connection to " + remoteDescription + " is not usable");
    }
    TransactionPlan plan;
    boolean commandsWritten = started != null;
    if (commandsWritten) {
      // Identity, not equality: the commands on the wire were made from that very instance.
      if (started.message() != message) {
        throw new IllegalStateException(
            "another message's transaction was started on " + remoteDescription);
      }
      plan = started;
      started = null;
    } else {
      plan = plan(message);
      if (plan.settled()) {
        return result(plan);
      }
      if (transactionOpen && !reset()) {
        throw new SmtpClientException(
            "RSET before the next transaction failed on " + remoteDescription, null, true);
      }
    }
    Transaction transaction = new Transaction(plan);
    transactions++;
    try {
      if (capabilities.pipelining()) {
        transaction.runPipelined(commandsWritten, startable(nextOrNull));
      } else {
        transaction.runLockStep();
      }
    } catch (IOException e) {
      markBroken();
      String what = e instanceof SocketTimeoutException ? "timed out" : "failed";
      throw new SmtpClientException(
          "transaction with " + remoteDescription + " " + what + ": " + e.getMessage(),
          null,
          !transaction.dataStarted,
          e);
    }
    if (log.isDebugEnabled()) {
      log.debug("{} transaction {}: {}", remoteDescription, transactions, summary(plan.results()));
    }
    return result(plan);
  }

  /**
   * Whether {@code message}'s commands went out behind the previous message's content and its
   * transaction awaits its {@link #send(OutboundMessage, OutboundMessage) send} on this connection.
   */
  public boolean hasStarted(OutboundMessage message) {
    return started != null && started.message() == message && !closed && !broken;
  }

  /**
   * The plan for a message to start behind the current one, or null when it cannot be: nothing to
   * offer, or more commands than one pipelined group may hold.
   */
  private TransactionPlan startable(OutboundMessage nextOrNull) {
    if (nextOrNull == null) {
      return null;
    }
    TransactionPlan next = plan(nextOrNull);
    return next.settled() || next.commands().size() > MAX_PIPELINE_GROUP ? null : next;
  }

  private TransactionPlan plan(OutboundMessage message) {
    List<Recipient> recipients = message.recipients();
    SmtpReply[] results = new SmtpReply[recipients.size()];
    SmtpReply refusal = localRefusal(message);
    if (refusal != null) {
      java.util.Arrays.fill(results, refusal);
      return new TransactionPlan(message, results, List.of(), null, List.of());
    }
    List<Integer> offered = new ArrayList<>(recipients.size());
    List<String> rcptCommands = new ArrayList<>(recipients.size());
    for (int i = 0; i < recipients.size(); i++) {
      Recipient recipient = recipients.get(i);
      if (hasControlCharacters(recipient.address())) {
        results[i] =
            SmtpReply.of(501, "5.1.3", "Bad recipient address syntax (refused locally)");
      } else {
        offered.add(i);
        rcptCommands.add(rcptCommand(recipient));
      }
    }
    if (offered.isEmpty()) {
      return new TransactionPlan(message, results, List.of(), null, List.of());
    }
    return new TransactionPlan(message, results, offered, mailCommand(message), rcptCommands);
  }

  /**
   * Sends RSET (RFC 5321 section 4.1.1.5) to abort any transaction in progress.
   *
   * @return true if the server answered 250; false means the connection must not be reused
   */
  public boolean reset() {
    if (!usable()) {
      return false;
    }
    try {
      transport.command("RSET");
      transport.flush(timeouts.command());
      SmtpReply reply = transport.readReply(timeouts.command());
      if (reply.isCompletion()) {
        transactionOpen = false;
        return true;
      }
      log.debug("{} answered RSET with {}", remoteDescription, reply.text());
    } catch (IOException e) {
      log.debug("RSET on {} failed: {}", remoteDescription, e.toString());
    }
    markBroken();
    return false;
  }

  /**
   * Says QUIT (waiting briefly for the reply) unless the connection is already broken, then closes.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    // With a transaction started, the server may be reading content: QUIT would be taken as a line
    // of it. Closing without the end-of-data dot aborts that transaction (RFC 5321 section
    // 4.1.1.4).
    if (!broken && started == null) {
      quitQuietly(transport, timeouts);
    }
    started = null;
    transport.close();
  }

  @Override
  public String toString() {
    return "SmtpClientConnection[" + remoteDescription + ", transactions=" + transactions + "]";
  }

  /** One MAIL..final-reply exchange; fills the results of the offered recipients. */
  private final class Transaction {
    private final TransactionPlan plan;
    private final OutboundMessage message;
    private final List<Integer> offered;
    private final SmtpReply[] results;
    private final String mail;
    private final List<String> rcpts;
    boolean dataStarted;

    Transaction(TransactionPlan plan) {
      this.plan = plan;
      this.message = plan.message();
      this.offered = plan.offered();
      this.results = plan.results();
      this.mail = plan.mail();
      this.rcpts = plan.rcpts();
    }

    /**
     * RFC 2920: MAIL, every RCPT and DATA go out in one write (in groups of at most {@link
     * #MAX_PIPELINE_GROUP}), then the replies are read in order. With {@code commandsWritten} they
     * went out already, behind the previous message's content, as one group; only their replies are
     * read. {@code nextOrNull} is started behind this message's content.
     */
    void runPipelined(boolean commandsWritten, TransactionPlan nextOrNull) throws IOException {
      List<String> commands = plan.commands();
      List<SmtpReply> replies = new ArrayList<>(commands.size());
      int next = 0;
      boolean written = commandsWritten;
      while (next < commands.size()) {
        if (!replies.isEmpty() && replies.getLast().code() == 421) {
          // RFC 5321 section 3.8: the server is closing; the commands not yet sent get its 421.
          while (replies.size() < commands.size()) {
            replies.add(replies.getLast());
          }
          break;
        }
        int end = Math.min(commands.size(), next + MAX_PIPELINE_GROUP);
        if (!written) {
          for (int i = next; i < end; i++) {
            transport.command(commands.get(i));
          }
          transport.flush(timeouts.command());
        }
        written = false;
        for (int i = next; i < end; i++) {
          SmtpReply last = replies.isEmpty() ? null : replies.getLast();
          if (last != null && last.code() == 421) {
            replies.add(last); // the server hung up after its 421; nothing more will be read
          } else {
            boolean isData = i == commands.size() - 1;
            replies.add(transport.readReply(isData ? timeouts.dataInit() : timeouts.command()));
          }
        }
        next = end;
        if (!replies.getFirst().isCompletion()) {
          break; // MAIL refused: later groups would only draw "503 need MAIL first".
        }
      }
      SmtpReply mailReply = replies.getFirst();
      SmtpReply dataReply = replies.size() == commands.size() ? replies.getLast() : null;
      if (!mailReply.isCompletion()) {
        endUnwantedData(dataReply);
        applyToOffered(mailReply);
        return;
      }
      transactionOpen = true;
      List<Integer> accepted = new ArrayList<>(offered.size());
      for (int k = 0; k < offered.size(); k++) {
        SmtpReply reply = replies.get(1 + k);
        results[offered.get(k)] = reply;
        if (reply.isCompletion()) {
          accepted.add(offered.get(k));
        }
      }
      if (accepted.isEmpty()) {
        endUnwantedData(dataReply);
        return;
      }
      finishData(dataReply, accepted, nextOrNull);
    }

    /** Without PIPELINING: each command waits for its reply (RFC 5321 section 3.3). */
    void runLockStep() throws IOException {
      SmtpReply mailReply = exchange(mail, timeouts.command());
      if (!mailReply.isCompletion()) {
        applyToOffered(mailReply);
        return;
      }
      transactionOpen = true;
      List<Integer> accepted = new ArrayList<>(offered.size());
      for (int k = 0; k < offered.size(); k++) {
        SmtpReply reply = exchange(rcpts.get(k), timeouts.command());
        results[offered.get(k)] = reply;
        if (reply.isCompletion()) {
          accepted.add(offered.get(k));
        }
        if (reply.code() == 421) {
          // The server is closing (RFC 5321 section 3.8): the rest, and those already accepted,
          // cannot get further in this session.
          for (int rest = k + 1; rest < offered.size(); rest++) {
            results[offered.get(rest)] = reply;
          }
          for (int index : accepted) {
            results[index] = reply;
          }
          return;
        }
      }
      if (accepted.isEmpty()) {
        return;
      }
      finishData(exchange("DATA", timeouts.dataInit()), accepted, null);
    }

    private void finishData(
        SmtpReply dataReply, List<Integer> accepted, TransactionPlan nextOrNull)
        throws IOException {
      if (dataReply.isCompletion()) {
        // A 2xx to DATA would read as "delivered" for a message never sent; the dialogue is lost.
        throw new ProtocolException("DATA answered with " + dataReply.text() + " instead of 354");
      }
      if (dataReply.code() != 354) {
        for (int index : accepted) {
          results[index] = dataReply;
        }
        noteClosing(dataReply);
        return;
      }
      SmtpReply finalReply = streamContent(nextOrNull);
      transactionOpen = false;
      for (int index : accepted) {
        results[index] = finalReply;
      }
      noteClosing(finalReply);
    }

    /**
     * A pipelined DATA that the server accepted although MAIL or every RCPT failed: RFC 2920
     * section 3.1 has the client send just the terminating dot, so an empty message is refused and
     * the dialogue stays in step.
     */
    private void endUnwantedData(SmtpReply dataReply) throws IOException {
      if (dataReply == null || dataReply.code() != 354) {
        return;
      }
      dataStarted = true;
      transport.command(".");
      transport.flush(timeouts.dataBlock());
      SmtpReply reply = transport.readReply(timeouts.dataTermination());
      transactionOpen = false;
      noteClosing(reply);
    }

    private SmtpReply streamContent(TransactionPlan nextOrNull) throws IOException {
      dataStarted = true;
      OutputStream wire = transport.dataOutput(timeouts.dataBlock());
      DotStuffingOutputStream data = new DotStuffingOutputStream(wire);
      message.content().writeTo(data); // the spooled chunks themselves, no read-only copies
      data.finish();
      if (nextOrNull != null) {
        // RFC 2920 section 3.1: the commands that open the next transaction may follow the
        // previous message's content in the same group; the server answers them in order after
        // this message's final reply.
        for (String command : nextOrNull.commands()) {
          transport.command(command);
        }
        started = nextOrNull;
      }
      transport.flush(timeouts.dataBlock());
      return transport.readReply(timeouts.dataTermination());
    }

    private SmtpReply exchange(String command, Duration timeout) throws IOException {
      transport.command(command);
      transport.flush(timeouts.command());
      SmtpReply reply = transport.readReply(timeout);
      noteClosing(reply);
      return reply;
    }

    private void applyToOffered(SmtpReply reply) {
      for (int index : offered) {
        results[index] = reply;
      }
      noteClosing(reply);
    }

    private void noteClosing(SmtpReply reply) {
      if (reply.code() == 421) {
        markBroken();
      }
    }
  }

  private SmtpReply localRefusal(OutboundMessage message) {
    long size = message.content().size();
    if (capabilities.sizeLimit() > 0 && size > capabilities.sizeLimit()) {
      return SmtpReply.of(
          552,
          "5.3.4",
          "Message size "
              + size
              + " exceeds the limit of "
              + capabilities.sizeLimit()
              + " declared by "
              + remoteDescription
              + " (refused locally)");
    }
    if (message.smtpUtf8() && !capabilities.smtpUtf8()) {
      return SmtpReply.of(
          553,
          "5.6.7",
          remoteDescription
              + " does not offer SMTPUTF8, which this message needs (refused locally)");
    }
    if (message.bodyType() != BodyType.SEVEN_BIT) {
      ContentScan scan = null;
      if (message.bodyType() == BodyType.BINARY_MIME) {
        scan = ContentScan.of(message.content());
        if (!scan.lineStructured()) {
          return SmtpReply.of(
              554,
              "5.6.3",
              "Binary content cannot be sent with DATA and this client does not use BDAT"
                  + " (refused locally)");
        }
      }
      if (!capabilities.eightBitMime()) {
        if (scan == null) {
          scan = ContentScan.of(message.content());
        }
        if (scan.eightBit()) {
          return SmtpReply.of(
              554,
              "5.6.3",
              remoteDescription
                  + " does not offer 8BITMIME and the content was not downgraded (refused"
                  + " locally)");
        }
      }
    }
    if (hasControlCharacters(message.sender())) {
      return SmtpReply.of(501, "5.1.7", "Bad sender address syntax (refused locally)");
    }
    return null;
  }

  private String mailCommand(OutboundMessage message) {
    StringBuilder mail = new StringBuilder(64).append("MAIL FROM:<").append(message.sender());
    mail.append('>');
    if (capabilities.sizeOffered()) {
      mail.append(" SIZE=").append(message.content().size()); // RFC 1870 section 6
    }
    if (message.bodyType() != BodyType.SEVEN_BIT && capabilities.eightBitMime()) {
      mail.append(" BODY=8BITMIME"); // RFC 6152 section 2
    }
    if (message.smtpUtf8()) {
      mail.append(" SMTPUTF8"); // RFC 6531 section 3.4; localRefusal made sure it is offered
    }
    if (capabilities.dsn()) {
      if (message.ret() != Ret.UNSPECIFIED) {
        mail.append(" RET=").append(message.ret().name()); // RFC 3461 section 4.3
      }
      if (message.envelopeId() != null) {
        mail.append(" ENVID=").append(Xtext.encode(message.envelopeId())); // section 4.4
      }
    }
    return mail.toString();
  }

  private String rcptCommand(Recipient recipient) {
    StringBuilder rcpt = new StringBuilder(64).append("RCPT TO:<").append(recipient.address());
    rcpt.append('>');
    if (!capabilities.dsn()) {
      return rcpt.toString();
    }
    if (!recipient.notifications().isEmpty()) {
      // RFC 3461 section 4.1: NEVER stands alone; otherwise a comma list.
      StringJoiner notify = new StringJoiner(",", " NOTIFY=", "");
      if (recipient.notifications().contains(Notify.NEVER)) {
        notify.add(Notify.NEVER.name());
      } else {
        for (Notify value : Notify.values()) {
          if (recipient.notifications().contains(value)) {
            notify.add(value.name());
          }
        }
      }
      rcpt.append(notify);
    }
    if (recipient.originalRecipient() != null) {
      rcpt.append(" ORCPT=").append(orcpt(recipient.originalRecipient()));
    }
    return rcpt.toString();
  }

  /**
   * RFC 3461 section 4.2: {@code addr-type ";" xtext}. The stored value is decoded, so only the
   * part after the type is encoded; a value without a valid type is taken as an rfc822 address.
   */
  static String orcpt(String original) {
    int semicolon = original.indexOf(';');
    if (semicolon > 0 && isAtom(original.substring(0, semicolon))) {
      return original.substring(0, semicolon)
          + ";"
          + Xtext.encode(original.substring(semicolon + 1));
    }
    return "rfc822;" + Xtext.encode(original);
  }

  private static boolean isAtom(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!ok && c != '-') {
        return false;
      }
    }
    return !text.isEmpty();
  }

  private static boolean hasControlCharacters(String address) {
    for (int i = 0; i < address.length(); i++) {
      char c = address.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return true;
      }
    }
    return false;
  }

  private TransactionResult result(TransactionPlan plan) {
    List<Recipient> recipients = plan.message().recipients();
    SmtpReply[] responses = plan.results();
    List<RecipientResult> list = new ArrayList<>(recipients.size());
    for (int i = 0; i < recipients.size(); i++) {
      list.add(new RecipientResult(recipients.get(i), responses[i]));
    }
    return new TransactionResult(list, remoteDescription);
  }

  private static String summary(SmtpReply[] responses) {
    StringJoiner joiner = new StringJoiner("; ");
    for (SmtpReply response : responses) {
      joiner.add(response.text());
    }
    return joiner.toString();
  }

  private void markBroken() {
    broken = true;
    started = null;
    transport.close();
  }

  private static SmtpClientConnection establish(
      InetSocketAddress address,
      String serverName,
      String heloName,
      TlsPolicy tls,
      SmtpCredentials credentials,
      SSLContext sslContextOrNull,
      ClientTimeouts timeouts,
      boolean tlsAllowed)
      throws SmtpClientException, PlainTextRetry {
    String remote = describe(serverName, address);
    ClientTransport transport;
    try {
      transport =
          ClientTransport.connect(
              address, timeouts.connect(), timeouts.command(), "smtp-client-writes " + remote);
    } catch (IOException e) {
      throw new SmtpClientException(
          "cannot connect to " + remote + ": " + e.getMessage(), null, true, e);
    }
    boolean established = false;
    String step = "greeting";
    try {
      SmtpReply greeting = transport.readReply(timeouts.greeting());
      if (greeting.code() != 220) {
        // RFC 5321 section 3.1: after a 554 greeting the server waits for QUIT; 421 means it is
        // closing anyway. Either way the caller may try the next MX.
        quitQuietly(transport, timeouts);
        throw new SmtpClientException(remote + " greeted with " + greeting.text(), greeting, true);
      }
      step = "EHLO";
      ServerCapabilities capabilities = hello(transport, heloName, timeouts, remote);
      boolean secured = false;
      if (tls != TlsPolicy.NONE && tlsAllowed) {
        if (capabilities.startTls()) {
          step = "STARTTLS";
          transport.command("STARTTLS");
          transport.flush(timeouts.command());
          SmtpReply reply = transport.readReply(timeouts.command());
          if (reply.code() == 220) {
            handshake(transport, tls, sslContextOrNull, serverName, timeouts, remote);
            // RFC 3207 section 4.2: discard what was learned before TLS and ask again.
            step = "EHLO after STARTTLS";
            capabilities = hello(transport, heloName, timeouts, remote);
            secured = true;
          } else if (tls != TlsPolicy.OPPORTUNISTIC) {
            quitQuietly(transport, timeouts);
            throw new SmtpClientException(
                remote + " refused STARTTLS: " + reply.text(), reply, true);
          } else {
            // RFC 3207 section 4: after a refused STARTTLS the session goes on in plain text.
            log.debug("{} refused STARTTLS ({}); continuing in plain text", remote, reply.text());
          }
        } else if (tls != TlsPolicy.OPPORTUNISTIC) {
          quitQuietly(transport, timeouts);
          throw new SmtpClientException(
              remote + " does not offer STARTTLS, which TLS policy " + tls + " requires",
              null,
              true);
        }
      }
      String authenticatedUser = null;
      if (credentials != null) {
        step = "AUTH";
        switch (ClientAuthentication.authenticate(
            transport, credentials, capabilities, tls, secured, timeouts.command(), remote)) {
          case ClientAuthentication.Outcome.Authenticated authenticated -> {
            authenticatedUser = credentials.username();
            log.debug(
                "authenticated to {} as {} with {}",
                remote,
                authenticatedUser,
                authenticated.mechanism());
          }
          case ClientAuthentication.Outcome.Refused refused -> {
            if (refused.reply() != null && refused.reply().isTransient()) {
              log.info("{}", refused.reason());
            } else {
              // Wrong credentials, or a route that would leak them, need the operator.
              log.warn("{}", refused.reason());
            }
            quitQuietly(transport, timeouts);
            throw new SmtpClientException(refused.reason(), refused.reply(), true);
          }
        }
      }
      SmtpClientConnection connection =
          new SmtpClientConnection(
              transport, timeouts, remote, capabilities, secured, authenticatedUser);
      established = true;
      log.debug(
          "connected to {} (tls={}, pipelining={}, auth={})",
          remote,
          secured,
          capabilities.pipelining(),
          authenticatedUser);
      return connection;
    } catch (IOException e) {
      String what = e instanceof SocketTimeoutException ? "timed out" : "failed";
      throw new SmtpClientException(
          step + " with " + remote + " " + what + ": " + e.getMessage(), null, true, e);
    } finally {
      if (!established) {
        transport.close();
      }
    }
  }

  private static void handshake(
      ClientTransport transport,
      TlsPolicy tls,
      SSLContext sslContextOrNull,
      String serverName,
      ClientTimeouts timeouts,
      String remote)
      throws IOException, SmtpClientException, PlainTextRetry {
    boolean verify = tls == TlsPolicy.VERIFY;
    SSLContext context;
    try {
      context =
          verify
              ? Objects.requireNonNullElse(sslContextOrNull, SSLContext.getDefault())
              : OpportunisticTls.context();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK offers no default TLS context", e);
    }
    try {
      transport.startTls(context, serverName, verify, timeouts.command());
      // One line per outbound TLS session, as Postfix's "TLS connection established".
      javax.net.ssl.SSLSession session = transport.tlsSession();
      org.slf4j.LoggerFactory.getLogger("delivery")
          .info(
              "{} TLS connection established to {}: {} with cipher {}",
              verify ? "Verified" : "Untrusted",
              remote,
              session.getProtocol(),
              session.getCipherSuite());
    } catch (SSLException e) {
      if (tls == TlsPolicy.OPPORTUNISTIC) {
        throw new PlainTextRetry(e);
      }
      throw new SmtpClientException(
          "TLS handshake with " + remote + " failed: " + e.getMessage(), null, true, e);
    }
  }

  /** EHLO, or HELO when the server does not know EHLO (RFC 5321 section 3.2). */
  private static ServerCapabilities hello(
      ClientTransport transport, String heloName, ClientTimeouts timeouts, String remote)
      throws IOException, SmtpClientException {
    transport.command("EHLO " + heloName);
    transport.flush(timeouts.command());
    SmtpReply ehlo = transport.readReply(timeouts.command());
    if (ehlo.isCompletion()) {
      return ServerCapabilities.fromEhlo(ehlo);
    }
    if (ehlo.isPermanent()) {
      transport.command("HELO " + heloName);
      transport.flush(timeouts.command());
      SmtpReply helo = transport.readReply(timeouts.command());
      if (helo.isCompletion()) {
        return ServerCapabilities.heloOnly();
      }
      quitQuietly(transport, timeouts);
      throw new SmtpClientException(remote + " rejected HELO: " + helo.text(), helo, true);
    }
    quitQuietly(transport, timeouts);
    throw new SmtpClientException(remote + " rejected EHLO: " + ehlo.text(), ehlo, true);
  }

  private static void quitQuietly(ClientTransport transport, ClientTimeouts timeouts) {
    Duration timeout =
        timeouts.command().compareTo(QUIT_TIMEOUT) < 0 ? timeouts.command() : QUIT_TIMEOUT;
    try {
      transport.command("QUIT");
      transport.flush(timeout);
      transport.readReply(timeout);
    } catch (IOException e) {
      // The server may already have hung up; QUIT was a courtesy.
    }
  }

  private static String describe(String serverName, InetSocketAddress address) {
    String ip =
        address.getAddress() != null
            ? address.getAddress().getHostAddress()
            : address.getHostString();
    return serverName + "[" + ip + "]:" + address.getPort();
  }

  /**
   * Signals that an opportunistic TLS handshake failed and the connection should be redone plain.
   */
  private static final class PlainTextRetry extends Exception {
    private static final long serialVersionUID = 1L;

    PlainTextRetry(SSLException cause) {
      super(cause);
    }
  }
}
