package io.vireo.bench.sink;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection to the sink: a flat loop that reads a command, updates the transaction and
 * queues the reply. Replies are flushed only when the input has nothing more buffered, so a pipelined
 * batch (RFC 2920) is answered with one write, in order.
 */
final class SinkSession implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(SinkSession.class);

  // RFC 5321 section 4.5.3.1.4 allows 512 octets; ESMTP parameters may extend it (RFC 5321 4.1.2).
  private static final int MAX_COMMAND_LINE = 2048;
  private static final int INPUT_BUFFER = 16 * 1024;
  private static final int OUTPUT_BUFFER = 4 * 1024;

  private final Socket socket;
  private final SinkOptions options;
  private final SinkReplies.HostReplies hostReplies;
  private final SinkCounters counters;

  private OutputStream out;
  private boolean repliesPending;
  private long messagesOnConnection;

  // The transaction in progress (RFC 5321 section 3.3).
  private boolean senderGiven;
  private int recipientCount;
  private boolean chunksStarted;
  private boolean chunksRejected;
  private long chunkBytes;
  private String mailFrom;
  private final List<String> recipients = new ArrayList<>();
  private final ByteArrayOutputStream retainedContent;

  SinkSession(
      Socket socket, SinkOptions options, SinkReplies.HostReplies hostReplies, SinkCounters counters) {
    this.socket = socket;
    this.options = options;
    this.hostReplies = hostReplies;
    this.counters = counters;
    this.retainedContent = options.retainLastMessage() ? new ByteArrayOutputStream() : null;
  }

  @Override
  public void run() {
    counters.connectionOpened();
    try (socket) {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, options.idleTimeout().toMillis()));
      out = new BufferedOutputStream(socket.getOutputStream(), OUTPUT_BUFFER);
      SmtpInput input = new SmtpInput(socket.getInputStream(), INPUT_BUFFER, this::flushReplies);
      reply(hostReplies.greeting());
      serve(input);
      flushReplies();
    } catch (SocketTimeoutException e) {
      sayGoodbyeQuietly(SinkReplies.IDLE_TIMEOUT);
    } catch (IOException e) {
      // Clients of a load test hang up abruptly all the time; that is not the sink's problem.
      log.trace("session ended: {}", e.toString());
    } finally {
      counters.connectionClosed(messagesOnConnection);
    }
  }

  private void serve(SmtpInput input) throws IOException {
    byte[] line = new byte[MAX_COMMAND_LINE];
    while (true) {
      int length = input.readLine(line);
      if (length == SmtpInput.END_OF_STREAM) {
        return;
      } else if (length == SmtpInput.LINE_TOO_LONG) {
        reply(SinkReplies.LINE_TOO_LONG);
      } else if (length == SmtpInput.BARE_LF) {
        reply(SinkReplies.BARE_LF);
      } else if (!handle(line, length, input)) {
        return;
      }
    }
  }

  /** Handles one command; returns false once the session should end (after QUIT). */
  private boolean handle(byte[] line, int length, SmtpInput input) throws IOException {
    if (AsciiLine.isVerb(line, length, "MAIL")) {
      mail(line, length);
    } else if (AsciiLine.isVerb(line, length, "RCPT")) {
      recipient(line, length);
    } else if (AsciiLine.isVerb(line, length, "DATA")) {
      data(length, input);
    } else if (AsciiLine.isVerb(line, length, "BDAT") && options.chunking()) {
      return chunk(line, length, input);
    } else if (AsciiLine.isVerb(line, length, "EHLO")) {
      resetTransaction();
      reply(hostReplies.ehlo());
    } else if (AsciiLine.isVerb(line, length, "HELO")) {
      resetTransaction();
      reply(hostReplies.helo());
    } else if (AsciiLine.isVerb(line, length, "RSET")) {
      resetTransaction();
      reply(SinkReplies.OK);
    } else if (AsciiLine.isVerb(line, length, "NOOP")) {
      reply(SinkReplies.OK);
    } else if (AsciiLine.isVerb(line, length, "QUIT")) {
      reply(SinkReplies.BYE);
      return false;
    } else if (AsciiLine.isVerb(line, length, "VRFY")) {
      reply(SinkReplies.CANNOT_VRFY);
    } else if (AsciiLine.isVerb(line, length, "EXPN")
        || AsciiLine.isVerb(line, length, "HELP")
        || AsciiLine.isVerb(line, length, "STARTTLS")) {
      reply(SinkReplies.NOT_IMPLEMENTED);
    } else {
      reply(SinkReplies.UNRECOGNIZED);
    }
    return true;
  }

  private void mail(byte[] line, int length) throws IOException {
    if (!AsciiLine.startsWithIgnoreCase(line, length, "MAIL FROM:")) {
      reply(SinkReplies.BAD_SYNTAX);
      return;
    }
    if (senderGiven) {
      reply(SinkReplies.NESTED_MAIL);
      return;
    }
    // RFC 1870 section 6.2: refuse up front a message declared larger than the advertised SIZE.
    int size = AsciiLine.indexOfIgnoreCase(line, length, 10, " SIZE=");
    if (size >= 0 && AsciiLine.parseDecimal(line, length, size + 6) > options.maxMessageSize()) {
      reply(SinkReplies.MESSAGE_TOO_BIG);
      return;
    }
    senderGiven = true;
    if (retainedContent != null) {
      mailFrom = AsciiLine.angleAddress(line, length, 10);
    }
    reply(SinkReplies.SENDER_OK);
  }

  private void recipient(byte[] line, int length) throws IOException {
    if (!AsciiLine.startsWithIgnoreCase(line, length, "RCPT TO:")) {
      reply(SinkReplies.BAD_SYNTAX);
    } else if (!senderGiven) {
      reply(SinkReplies.NEED_MAIL);
    } else if (recipientCount >= options.maxRecipients()) {
      reply(SinkReplies.TOO_MANY_RECIPIENTS);
    } else {
      recipientCount++;
      if (retainedContent != null) {
        recipients.add(AsciiLine.angleAddress(line, length, 8));
      }
      reply(SinkReplies.RECIPIENT_OK);
    }
  }

  private void data(int length, SmtpInput input) throws IOException {
    if (length != 4) {
      reply(SinkReplies.BAD_SYNTAX);
    } else if (!senderGiven) {
      reply(SinkReplies.NEED_MAIL);
    } else if (chunksStarted) {
      reply(SinkReplies.DATA_AFTER_BDAT);
    } else if (recipientCount == 0) {
      reply(SinkReplies.NO_VALID_RECIPIENTS);
    } else {
      reply(SinkReplies.START_MAIL_INPUT);
      long bytes = input.readDotStuffed(retainedContent);
      accept(bytes);
    }
  }

  /** BDAT (RFC 3030 section 2): the chunk is read even when refused, as the client sends it regardless. */
  private boolean chunk(byte[] line, int length, SmtpInput input) throws IOException {
    long octets = AsciiLine.parseDecimal(line, length, 5);
    int afterSize = AsciiLine.endOfDecimal(line, length, 5);
    boolean last =
        afterSize + 5 == length
            && AsciiLine.indexOfIgnoreCase(line, length, afterSize, " LAST") == afterSize;
    if (octets < 0 || (afterSize != length && !last)) {
      // Without a valid size the chunk boundary is lost; the only safe move is to hang up.
      reply(SinkReplies.BAD_SYNTAX);
      return false;
    }
    boolean acceptable = senderGiven && recipientCount > 0 && !chunksRejected;
    input.readChunk(octets, acceptable ? retainedContent : null);
    if (!acceptable) {
      chunksRejected = senderGiven;
      reply(senderGiven ? SinkReplies.NO_VALID_RECIPIENTS : SinkReplies.NEED_MAIL);
      if (last) {
        resetTransaction();
      }
      return true;
    }
    chunksStarted = true;
    chunkBytes += octets;
    if (last) {
      accept(chunkBytes);
    } else {
      reply(SinkReplies.chunkReceived(octets));
    }
    return true;
  }

  private void accept(long contentBytes) throws IOException {
    ReceivedMessage retained =
        retainedContent == null
            ? null
            : new ReceivedMessage(mailFrom, recipients, retainedContent.toByteArray());
    counters.messageAccepted(recipientCount, contentBytes, retained);
    messagesOnConnection++;
    resetTransaction();
    reply(SinkReplies.QUEUED);
  }

  private void resetTransaction() {
    senderGiven = false;
    recipientCount = 0;
    chunksStarted = false;
    chunksRejected = false;
    chunkBytes = 0;
    if (retainedContent != null) {
      mailFrom = null;
      recipients.clear();
      retainedContent.reset();
    }
  }

  private void reply(byte[] reply) throws IOException {
    out.write(reply);
    repliesPending = true;
  }

  private void flushReplies() throws IOException {
    if (repliesPending) {
      repliesPending = false;
      out.flush();
    }
  }

  private void sayGoodbyeQuietly(byte[] reply) {
    try {
      reply(reply);
      flushReplies();
    } catch (IOException e) {
      log.trace("could not send closing reply: {}", e.toString());
    }
  }
}
