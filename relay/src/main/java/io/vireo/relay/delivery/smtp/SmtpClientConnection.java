package io.vireo.relay.delivery.smtp;

import io.vireo.queue.Recipient;
import io.vireo.relay.protocol.SmtpCommand.Rset;
import io.vireo.relay.protocol.SmtpReply;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;
import javax.net.ssl.SSLContext;
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

  private final ClientTransport transport;
  private final ClientTimeouts timeouts;
  private final String remoteDescription;
  private final ServerCapabilities capabilities;
  private final boolean tlsActive;
  private final String authenticatedUser;
  private final TransactionPlanner planner;
  private int transactions;
  // MAIL was accepted but the transaction never ended: the server needs RSET before the next MAIL.
  private boolean transactionOpen;
  // The next message's MAIL, RCPTs and DATA went out behind the last content; replies unread.
  private TransactionPlan started;
  private volatile boolean broken;
  private volatile boolean closed;

  /** Made by {@link ClientHandshake} once the session is ready for mail. */
  SmtpClientConnection(
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
    this.planner = new TransactionPlanner(capabilities, remoteDescription);
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
    return ClientHandshake.open(
        new PoolKey(address, serverName, tls, credentialsOrNull),
        heloName,
        sslContextOrNull,
        timeouts);
  }

  /** A {@link ConnectionOpener} that opens connections with these settings for a pool key. */
  public static ConnectionOpener opener(
      String heloName, SSLContext sslContextOrNull, ClientTimeouts timeouts) {
    Objects.requireNonNull(heloName, "heloName");
    Objects.requireNonNull(timeouts, "timeouts");
    return key -> ClientHandshake.open(key, heloName, sslContextOrNull, timeouts);
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
      plan = planner.plan(message);
      if (plan.settled()) {
        return result(plan);
      }
      if (transactionOpen && !reset()) {
        throw new SmtpClientException(
            "RSET before the next transaction failed on " + remoteDescription, null, true);
      }
    }
    ClientTransaction transaction = new ClientTransaction(this, transport, timeouts, plan);
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
          !transaction.dataStarted(),
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
    TransactionPlan next = planner.plan(nextOrNull);
    boolean fits = next.commands().size() <= ClientTransaction.MAX_PIPELINE_GROUP;
    return next.settled() || !fits ? null : next;
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
      transport.command(new Rset());
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
      ClientHandshake.quitQuietly(transport, timeouts);
    }
    started = null;
    transport.close();
  }

  @Override
  public String toString() {
    return "SmtpClientConnection[" + remoteDescription + ", transactions=" + transactions + "]";
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

  /** A transaction was opened by an accepted MAIL, or ended; RSET is owed while one is open. */
  void transactionOpen(boolean open) {
    transactionOpen = open;
  }

  /** {@code next}'s commands went out behind the current content (see {@link #hasStarted}). */
  void started(TransactionPlan next) {
    started = next;
  }

  /** After an I/O failure or a 421: the connection is closed and never used again. */
  void markBroken() {
    broken = true;
    started = null;
    transport.close();
  }
}
