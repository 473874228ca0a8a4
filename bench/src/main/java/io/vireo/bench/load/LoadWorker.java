package io.vireo.bench.load;

import io.vireo.bench.load.FailureCause.Refused;
import io.vireo.bench.load.FailureCause.TransportFailure;
import java.io.IOException;
import java.net.SocketTimeoutException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection's worth of load: claims sequence numbers from the phase and sends each message
 * with a plain blocking SMTP dialogue, keeping the connection between messages (and phases) when
 * reusing, or opening a fresh one per message otherwise. Runs on one virtual thread at a time.
 */
final class LoadWorker {
  private static final Logger log = LoggerFactory.getLogger(LoadWorker.class);
  private static final int SERVICE_CLOSING = 421;

  private final LoadPlan plan;
  private final byte[] scratch;
  // Volatile only so that abort() from the run's thread sees it; the worker's own thread owns it.
  private volatile SmtpClientConnection connection;
  private boolean serverPipelines;

  LoadWorker(LoadPlan plan) {
    this.plan = plan;
    this.scratch = plan.newScratch();
  }

  /** Sends messages until the phase runs out of them, its deadline passes or the thread is interrupted. */
  void run(Phase phase, WorkerStats stats) {
    while (!Thread.currentThread().isInterrupted()
        && !phase.pastDeadline(plan.nanoTicker.getAsLong())) {
      long sequence = phase.claim();
      if (sequence < 0) {
        return;
      }
      send(sequence, stats);
    }
  }

  /** Ends a kept connection politely (QUIT), bounded by the reply timeout. */
  void quit() {
    if (connection == null) {
      return;
    }
    try {
      connection.send(plan.quit);
      connection.readReplyCode();
    } catch (IOException e) {
      log.debug("QUIT failed: {}", e.toString());
    } finally {
      drop();
    }
  }

  /** Closes the current connection from another thread, unblocking a worker stuck in a read. */
  void abort() {
    SmtpClientConnection current = connection;
    if (current != null) {
      try {
        current.abort();
      } catch (IOException e) {
        log.trace("abort close failed: {}", e.toString());
      }
    }
  }

  private void send(long sequence, WorkerStats stats) {
    stats.attempted++;
    long started = plan.nanoTicker.getAsLong();
    FailureCause failure;
    try {
      failure = connection == null ? connect(stats) : null;
      if (failure != null) {
        drop();
      } else {
        failure = transaction(sequence, started, stats);
        if (failure != null) {
          recover(failure);
        }
      }
    } catch (SocketTimeoutException e) {
      failure = transportFailure(TransportFailure.TIMEOUT, e);
    } catch (SmtpProtocolException e) {
      failure = transportFailure(TransportFailure.PROTOCOL, e);
    } catch (IOException e) {
      // An interrupt closes a virtual thread's socket: that is the run's deadline, not the server.
      boolean aborted = Thread.currentThread().isInterrupted();
      failure = transportFailure(aborted ? TransportFailure.ABORTED : TransportFailure.CONNECTION_LOST, e);
    }
    if (failure != null) {
      stats.failed(failure);
    }
    if (!plan.options.reuseConnections()) {
      quit();
    }
  }

  /**
   * Opens a connection, reads the greeting and says EHLO (HELO if EHLO is refused), then upgrades
   * to TLS if asked; null on success.
   */
  private FailureCause connect(WorkerStats stats) throws IOException {
    try {
      connection =
          SmtpClientConnection.open(
              plan.address, plan.options.replyTimeout(), plan.outputBuffer(), plan.nanoTicker);
    } catch (IOException e) {
      log.debug("connect to {} failed: {}", plan.address, e.toString());
      return TransportFailure.CONNECT;
    }
    stats.connectionsOpened++;
    int greeting = connection.readReplyCode();
    if (greeting != 220) {
      return new Refused(greeting);
    }
    connection.send(plan.ehlo);
    Reply ehlo = connection.readFullReply();
    if (Reply.isPositive(ehlo.code()) && plan.tls != null) {
      return startTls(ehlo);
    }
    if (Reply.isPositive(ehlo.code())) {
      serverPipelines = ehlo.advertises("PIPELINING");
      return null;
    }
    if (plan.tls != null) {
      // STARTTLS is an ESMTP extension: a server that only knows HELO cannot offer it.
      return new Refused(ehlo.code());
    }
    // RFC 5321 section 3.2: a server that does not know EHLO still understands HELO.
    serverPipelines = false;
    connection.send(plan.helo);
    int helo = connection.readReplyCode();
    return Reply.isPositive(helo) ? null : new Refused(helo);
  }

  /**
   * Upgrades the connection (RFC 3207): STARTTLS, the handshake, then EHLO again, since the server
   * forgets everything it was told before TLS and may offer other extensions after it; null on
   * success.
   */
  private FailureCause startTls(Reply ehlo) throws IOException {
    if (!ehlo.advertises("STARTTLS")) {
      log.debug("{} does not offer STARTTLS", plan.address);
      return TransportFailure.TLS;
    }
    connection.send(plan.starttls);
    int ready = connection.readReplyCode();
    if (ready != 220) {
      return new Refused(ready);
    }
    try {
      connection.startTls(plan.tls, plan.options.host(), plan.options.port());
    } catch (SSLException e) {
      log.debug("TLS handshake with {} failed: {}", plan.address, e.toString());
      return TransportFailure.TLS;
    }
    connection.send(plan.ehlo);
    Reply secured = connection.readFullReply();
    if (!Reply.isPositive(secured.code())) {
      return new Refused(secured.code());
    }
    serverPipelines = secured.advertises("PIPELINING");
    return null;
  }

  /** Runs one mail transaction; returns null if the message was accepted, else why not. */
  private FailureCause transaction(long sequence, long started, WorkerStats stats) throws IOException {
    int recipients = plan.rcpts.length;
    int accepted = 0;
    int firstRefusal = 0;
    if (plan.options.pipelining() && serverPipelines) {
      connection.send(plan.pipelinedEnvelope);
      int mail = connection.readReplyCode();
      for (int i = 0; i < recipients; i++) {
        int rcpt = connection.readReplyCode();
        if (Reply.isPositive(rcpt)) {
          accepted++;
        } else if (firstRefusal == 0) {
          firstRefusal = rcpt;
        }
      }
      int data = connection.readReplyCode();
      if (data != 354) {
        return new Refused(!Reply.isPositive(mail) ? mail : accepted == 0 ? firstRefusal : data);
      }
      if (!Reply.isPositive(mail) || accepted == 0) {
        // RFC 2920 section 3.1: DATA was accepted although nothing can be delivered; send no content.
        connection.send(plan.emptyContent);
        connection.readReplyCode();
        return new Refused(!Reply.isPositive(mail) ? mail : firstRefusal);
      }
    } else {
      connection.send(plan.mail);
      int mail = connection.readReplyCode();
      if (!Reply.isPositive(mail)) {
        return new Refused(mail);
      }
      for (int i = 0; i < recipients; i++) {
        connection.send(plan.rcpts[i]);
        int rcpt = connection.readReplyCode();
        if (Reply.isPositive(rcpt)) {
          accepted++;
        } else if (firstRefusal == 0) {
          firstRefusal = rcpt;
        }
      }
      if (accepted == 0) {
        return new Refused(firstRefusal);
      }
      connection.send(plan.data);
      int data = connection.readReplyCode();
      if (data != 354) {
        return new Refused(data);
      }
    }
    stats.recipientsRefused += recipients - accepted;
    plan.templateFor(sequence).write(sequence, scratch, connection.output());
    connection.flush();
    long endOfData = plan.nanoTicker.getAsLong();
    int reply = connection.readReplyCode();
    long done = plan.nanoTicker.getAsLong();
    if (!Reply.isPositive(reply)) {
      return new Refused(reply);
    }
    stats.accepted(done - endOfData, done - started);
    return null;
  }

  /** After a refusal: a closing server (421) loses the connection, otherwise RSET clears the state. */
  private void recover(FailureCause refusal) {
    if (refusal instanceof Refused(int code) && code == SERVICE_CLOSING) {
      drop();
      return;
    }
    try {
      connection.send(plan.rset);
      if (!Reply.isPositive(connection.readReplyCode())) {
        drop();
      }
    } catch (IOException e) {
      log.debug("RSET failed: {}", e.toString());
      drop();
    }
  }

  private FailureCause transportFailure(TransportFailure cause, IOException e) {
    log.debug("message failed ({}): {}", cause.key(), e.toString());
    drop();
    return cause;
  }

  private void drop() {
    if (connection != null) {
      try {
        connection.close();
      } catch (IOException e) {
        log.trace("close failed: {}", e.toString());
      }
      connection = null;
    }
  }
}
