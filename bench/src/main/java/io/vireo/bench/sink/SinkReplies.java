package io.vireo.bench.sink;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The catalogue of replies the sink sends, pre-rendered to bytes once so that a session only copies
 * them. Codes and enhanced status codes follow RFC 5321 section 4.2 and RFC 3463.
 */
final class SinkReplies {
  static final byte[] OK = line("250 2.0.0 Ok");
  static final byte[] SENDER_OK = line("250 2.1.0 Sender ok");
  static final byte[] RECIPIENT_OK = line("250 2.1.5 Recipient ok");
  static final byte[] QUEUED = line("250 2.0.0 Ok: queued");
  static final byte[] START_MAIL_INPUT = line("354 End data with <CR><LF>.<CR><LF>");
  static final byte[] CANNOT_VRFY = line("252 2.5.0 Cannot VRFY user, but will accept message");
  static final byte[] BYE = line("221 2.0.0 Bye");
  static final byte[] IDLE_TIMEOUT = line("421 4.4.2 Idle timeout, closing connection");
  static final byte[] TOO_MANY_RECIPIENTS = line("452 4.5.3 Too many recipients");
  static final byte[] UNRECOGNIZED = line("500 5.5.2 Command unrecognized");
  static final byte[] LINE_TOO_LONG = line("500 5.5.6 Line too long");
  // RFC 5321 section 2.3.8: a line ends with CRLF only; a bare LF is not a line ending.
  static final byte[] BARE_LF = line("500 5.5.2 Bare LF is not a line ending; use CRLF");
  static final byte[] BAD_SYNTAX = line("501 5.5.4 Syntax error in parameters");
  static final byte[] NOT_IMPLEMENTED = line("502 5.5.1 Command not implemented");
  static final byte[] NESTED_MAIL = line("503 5.5.1 Sender already specified");
  static final byte[] NEED_MAIL = line("503 5.5.1 Need MAIL before RCPT");
  static final byte[] NEED_RCPT = line("503 5.5.1 Need RCPT before DATA");
  static final byte[] DATA_AFTER_BDAT = line("503 5.5.1 DATA not allowed after BDAT");
  // RFC 2920 section 3.1: with pipelining, DATA after all RCPTs failed gets 554, not 354.
  static final byte[] NO_VALID_RECIPIENTS = line("554 5.5.1 No valid recipients");
  static final byte[] MESSAGE_TOO_BIG = line("552 5.3.4 Message size exceeds fixed limit");

  private SinkReplies() {}

  /** The replies that name the sink's host, rendered once per sink. */
  record HostReplies(byte[] greeting, byte[] ehlo, byte[] helo) {
    static HostReplies of(SinkOptions options) {
      return new HostReplies(
          line("220 " + options.hostname() + " ESMTP vireo-bench sink"),
          ehloReply(options),
          line("250 " + options.hostname()));
    }
  }

  /** The EHLO reply listing the extensions the sink supports (RFC 5321 section 4.1.1.1). */
  private static byte[] ehloReply(SinkOptions options) {
    List<String> lines = new ArrayList<>();
    lines.add(options.hostname());
    lines.add("PIPELINING");
    lines.add("8BITMIME");
    lines.add("SIZE " + options.maxMessageSize());
    lines.add("SMTPUTF8");
    lines.add("ENHANCEDSTATUSCODES");
    if (options.chunking()) {
      lines.add("CHUNKING");
    }
    StringBuilder reply = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      reply.append("250").append(i == lines.size() - 1 ? ' ' : '-').append(lines.get(i)).append("\r\n");
    }
    return reply.toString().getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] chunkReceived(long octets) {
    return line("250 2.0.0 " + octets + " octets received");
  }

  private static byte[] line(String text) {
    return (text + "\r\n").getBytes(StandardCharsets.US_ASCII);
  }
}
