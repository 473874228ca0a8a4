package io.vireo.relay.server;

import io.vireo.relay.protocol.Replies;
import io.vireo.relay.protocol.SmtpReply;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one SMTP session answers: replies buffered for the next flush, replies that end the session,
 * and client errors, counted until {@code limits.max-errors} ends the session with 421 4.7.0.
 */
final class SessionReplies {
  // One session, one logger: these lines keep SmtpSession's name, as before the split.
  private static final Logger log = LoggerFactory.getLogger(SmtpSession.class);

  /** What the session does after a command: read the next one, or close the connection. */
  enum Next {
    CONTINUE,
    CLOSE
  }

  private final ReplyWriter out;
  private final String name;
  private final int maxErrors;
  private int errors;

  SessionReplies(ReplyWriter out, String name, int maxErrors) {
    this.out = out;
    this.name = name;
    this.maxErrors = maxErrors;
  }

  /** Buffers {@code reply} for the next flush; the session goes on. */
  Next reply(SmtpReply reply) throws IOException {
    out.send(reply);
    return Next.CONTINUE;
  }

  /** Sends {@code reply} now; the session then closes. */
  Next replyAndClose(SmtpReply reply) throws IOException {
    out.send(reply);
    out.flush();
    return Next.CLOSE;
  }

  /** Counts a client error; past {@code limits.maxErrors} the session ends with 421 4.7.0. */
  Next protocolError(SmtpReply reply, String what) throws IOException {
    errors++;
    log.debug("{} {}: {}", name, what, reply);
    if (errors > maxErrors) {
      log.debug("{} too many errors ({})", name, errors);
      return replyAndClose(Replies.TOO_MANY_ERRORS);
    }
    return reply(reply);
  }

  /**
   * Sends a final reply on a connection about to close; failure to send is expected and ignored.
   */
  void sendLast(SmtpReply reply) {
    try {
      out.send(reply);
      out.flush();
    } catch (IOException e) {
      log.debug("{} could not send {}: {}", name, reply.code(), e.toString());
    }
  }
}
