package io.vireo.relay.delivery.smtp;

import io.vireo.relay.protocol.SmtpCommand;
import io.vireo.relay.protocol.SmtpCommand.Data;
import io.vireo.relay.protocol.SmtpCommand.RcptTo;
import io.vireo.relay.protocol.SmtpReply;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One MAIL..final-reply exchange on a {@link SmtpClientConnection} (RFC 5321 section 3.3): MAIL,
 * RCPT, DATA and the content, pipelined (RFC 2920) or in lock step, filling in the results of the
 * offered recipients. The connection's state (a transaction left open, the next message started, a
 * 421 that ends the session) is reported back to it as the replies come.
 */
final class ClientTransaction {
  /**
   * Most commands written before reading their replies. RFC 2920 section 3.1 warns that a client
   * writing without reading can deadlock once both sides' buffers fill; a hundred RCPT replies fit
   * in any socket buffer.
   */
  static final int MAX_PIPELINE_GROUP = 100;

  private final SmtpClientConnection connection;
  private final ClientTransport transport;
  private final ClientTimeouts timeouts;
  private final TransactionPlan plan;
  private final OutboundMessage message;
  private final List<Integer> offered;
  private final SmtpReply[] results;
  private boolean dataStarted;

  ClientTransaction(
      SmtpClientConnection connection,
      ClientTransport transport,
      ClientTimeouts timeouts,
      TransactionPlan plan) {
    this.connection = connection;
    this.transport = transport;
    this.timeouts = timeouts;
    this.plan = plan;
    this.message = plan.message();
    this.offered = plan.offered();
    this.results = plan.results();
  }

  /** Whether any content (or the lone dot of an unwanted DATA) went out. */
  boolean dataStarted() {
    return dataStarted;
  }

  /**
   * RFC 2920: MAIL, every RCPT and DATA go out in one write (in groups of at most {@link
   * #MAX_PIPELINE_GROUP}), then the replies are read in order. With {@code commandsWritten} they
   * went out already, behind the previous message's content, as one group; only their replies are
   * read. {@code nextOrNull} is started behind this message's content.
   */
  void runPipelined(boolean commandsWritten, TransactionPlan nextOrNull) throws IOException {
    List<SmtpCommand> commands = plan.commands();
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
    connection.transactionOpen(true);
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
    SmtpReply mailReply = exchange(plan.mail(), timeouts.command());
    if (!mailReply.isCompletion()) {
      applyToOffered(mailReply);
      return;
    }
    connection.transactionOpen(true);
    List<RcptTo> rcpts = plan.rcpts();
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
    finishData(exchange(new Data(), timeouts.dataInit()), accepted, null);
  }

  private void finishData(SmtpReply dataReply, List<Integer> accepted, TransactionPlan nextOrNull)
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
    connection.transactionOpen(false);
    for (int index : accepted) {
      results[index] = finalReply;
    }
    noteClosing(finalReply);
  }

  /**
   * A pipelined DATA that the server accepted although MAIL or every RCPT failed: RFC 2920 section
   * 3.1 has the client send just the terminating dot, so an empty message is refused and the
   * dialogue stays in step.
   */
  private void endUnwantedData(SmtpReply dataReply) throws IOException {
    if (dataReply == null || dataReply.code() != 354) {
      return;
    }
    dataStarted = true;
    transport.line(".");
    transport.flush(timeouts.dataBlock());
    SmtpReply reply = transport.readReply(timeouts.dataTermination());
    connection.transactionOpen(false);
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
      for (SmtpCommand command : nextOrNull.commands()) {
        transport.command(command);
      }
      connection.started(nextOrNull);
    }
    transport.flush(timeouts.dataBlock());
    return transport.readReply(timeouts.dataTermination());
  }

  private SmtpReply exchange(SmtpCommand command, Duration timeout) throws IOException {
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
      connection.markBroken();
    }
  }
}
