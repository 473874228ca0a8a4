package io.vireo.relay.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * The catalogue of every reply the SMTP server sends, with RFC 5321 section 4.2 wording and RFC
 * 3463 enhanced status codes. Handlers pick a named reply from here instead of writing reply
 * literals, so the wire format and the wording live in one file.
 */
public final class Replies {
  private Replies() {}

  private static EnhancedStatus status(int statusClass, int subject, int detail) {
    return EnhancedStatus.of(statusClass, subject, detail);
  }

  // ---- 2xx ----

  /** RFC 3463 X.0.0: other undefined status, i.e. plain success. */
  public static final SmtpReply OK = SmtpReply.of(250, status(2, 0, 0), "Ok");

  /** MAIL accepted; X.1.0 is "other address status" (RFC 3463 section 3.2). */
  public static final SmtpReply SENDER_OK = SmtpReply.of(250, status(2, 1, 0), "Sender ok");

  /** RCPT accepted; X.1.5 is "destination address valid" (RFC 3463 section 3.2). */
  public static final SmtpReply RECIPIENT_OK = SmtpReply.of(250, status(2, 1, 5), "Recipient ok");

  /**
   * VRFY: RFC 5321 section 3.5.3 allows 252 when the server will not verify; it discloses nothing
   * about which mailboxes exist.
   */
  public static final SmtpReply CANNOT_VRFY =
      SmtpReply.of(
          252, status(2, 5, 0), "Cannot VRFY user, but will accept message and attempt delivery");

  public static final SmtpReply HELP =
      new SmtpReply(
          214,
          status(2, 0, 0),
          List.of(
              "Commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT HELP VRFY",
              "See RFC 5321 for the protocol"));

  /** RFC 3207 section 4: the go-ahead for the TLS handshake. */
  public static final SmtpReply READY_FOR_TLS =
      SmtpReply.of(220, status(2, 0, 0), "Ready to start TLS");

  /** RFC 4954 section 6: authentication succeeded; X.7.0 as the RFC gives it. */
  public static final SmtpReply AUTH_SUCCEEDED =
      SmtpReply.of(235, status(2, 7, 0), "Authentication successful");

  /** RFC 5321 section 4.2 wording for the start of DATA; 3xx replies carry no enhanced code. */
  public static final SmtpReply START_MAIL_INPUT =
      SmtpReply.of(354, "Start mail input; end with <CRLF>.<CRLF>");

  // ---- 4xx ----

  /**
   * RFC 5321 section 4.5.3.1.8: 452 for recipients beyond the limit; X.5.3 (RFC 3463 section 3.6).
   */
  public static final SmtpReply TOO_MANY_RECIPIENTS =
      SmtpReply.of(452, status(4, 5, 3), "Too many recipients");

  /** The spool could not store the message; X.3.1 "mail system full" (RFC 3463 section 3.4). */
  public static final SmtpReply INSUFFICIENT_STORAGE =
      SmtpReply.of(452, status(4, 3, 1), "Insufficient system storage");

  /** X.3.2 "system not accepting network messages" (RFC 3463 section 3.4). */
  public static final SmtpReply TOO_MANY_CONNECTIONS =
      SmtpReply.of(421, status(4, 3, 2), "Too many connections, try again later");

  /** X.7.0 "other or undefined security status" (RFC 3463 section 3.8): a per-client limit. */
  public static final SmtpReply TOO_MANY_CONNECTIONS_FROM_ADDRESS =
      SmtpReply.of(421, status(4, 7, 0), "Too many connections from your address, try again later");

  public static final SmtpReply TOO_MANY_ERRORS =
      SmtpReply.of(421, status(4, 7, 0), "Too many errors");

  /**
   * {@code limits.messages-per-minute-per-ip}: a temporary refusal of MAIL (RFC 5321 450) with
   * X.7.1, as Postfix's anvil rate limits answer, so a real MTA queues and retries.
   */
  public static final SmtpReply TOO_MANY_MESSAGES_FROM_ADDRESS =
      SmtpReply.of(
          450, status(4, 7, 1), "Too many messages from your address this minute, try again later");

  /** {@code limits.messages-per-minute-per-user}. */
  public static final SmtpReply TOO_MANY_MESSAGES_FOR_USER =
      SmtpReply.of(
          450, status(4, 7, 1), "Too many messages for this user this minute, try again later");

  /** {@code limits.recipients-per-minute-per-ip}: 452 as for recipients beyond a limit. */
  public static final SmtpReply TOO_MANY_RECIPIENTS_FROM_ADDRESS =
      SmtpReply.of(
          452,
          status(4, 7, 1),
          "Too many recipients from your address this minute, try again later");

  /** {@code limits.recipients-per-minute-per-user}. */
  public static final SmtpReply TOO_MANY_RECIPIENTS_FOR_USER =
      SmtpReply.of(
          452, status(4, 7, 1), "Too many recipients for this user this minute, try again later");

  /** {@code limits.max-connections-per-user}: the login is right; the user has enough sessions. */
  public static final SmtpReply TOO_MANY_CONNECTIONS_FOR_USER =
      SmtpReply.of(
          421,
          status(4, 7, 0),
          "Too many connections for this user, try again later; closing connection");

  /** RFC 3207 section 4: TLS is offered but cannot be started right now. */
  public static final SmtpReply TLS_NOT_AVAILABLE =
      SmtpReply.of(454, status(4, 7, 0), "TLS not available due to temporary reason");

  /** RFC 4954 section 6 (454 4.7.0): here, too many failed attempts from this client or user. */
  public static final SmtpReply AUTH_THROTTLED =
      SmtpReply.of(
          454,
          status(4, 7, 0),
          "Temporary authentication failure: too many failed attempts, try again later");

  /** After the lock-out threshold: the session ends (RFC 3463 X.7.0, other security status). */
  public static final SmtpReply AUTH_LOCKED_OUT =
      SmtpReply.of(
          421,
          status(4, 7, 0),
          "Too many failed authentication attempts, try again later; closing connection");

  // ---- 5xx: syntax and sequence ----

  /** RFC 5321 section 4.2.4: 500 for an unknown verb; X.5.1 "invalid command". */
  public static final SmtpReply COMMAND_UNRECOGNIZED =
      SmtpReply.of(500, status(5, 5, 1), "Command unrecognized");

  /** RFC 5321 section 4.5.3.1.4: command lines are at most 512 octets including CRLF. */
  public static final SmtpReply LINE_TOO_LONG = SmtpReply.of(500, status(5, 5, 2), "Line too long");

  /**
   * RFC 5321 section 2.3.8: lines end with CRLF only. Refusing bare CR and bare LF keeps this
   * server and the next hop in agreement about where a command or the message ends (SMTP
   * smuggling).
   */
  public static final SmtpReply BARE_LINE_ENDING =
      SmtpReply.of(500, status(5, 5, 2), "Bare CR or LF not allowed; lines must end with CRLF");

  public static final SmtpReply SYNTAX_ERROR =
      SmtpReply.of(501, status(5, 5, 4), "Syntax error in parameters or arguments");

  /** X.1.7 "bad sender's mailbox address syntax" (RFC 3463 section 3.2). */
  public static final SmtpReply BAD_SENDER_SYNTAX =
      SmtpReply.of(501, status(5, 1, 7), "Bad sender address syntax");

  /** X.1.3 "bad destination mailbox address syntax" (RFC 3463 section 3.2). */
  public static final SmtpReply BAD_RECIPIENT_SYNTAX =
      SmtpReply.of(501, status(5, 1, 3), "Bad recipient address syntax");

  /** RFC 5321 section 4.5.3.1.3: a path is at most 256 octets. */
  public static final SmtpReply PATH_TOO_LONG = SmtpReply.of(501, status(5, 1, 3), "Path too long");

  public static final SmtpReply INVALID_UTF8 =
      SmtpReply.of(501, status(5, 5, 4), "Invalid UTF-8 in command");

  /** RFC 5321 section 4.2.4: 502 for a recognized command that is not implemented. */
  public static final SmtpReply NOT_IMPLEMENTED =
      SmtpReply.of(502, status(5, 5, 1), "Command not implemented");

  /** EXPN would disclose list members (RFC 5321 section 7.3), so it is not implemented. */
  public static final SmtpReply EXPN_DISABLED =
      SmtpReply.of(502, status(5, 5, 1), "EXPN not available");

  public static final SmtpReply BAD_SEQUENCE =
      SmtpReply.of(503, status(5, 5, 1), "Bad sequence of commands");

  /** RFC 3207 section 4.2: STARTTLS is not offered, and not accepted, once TLS is active. */
  public static final SmtpReply TLS_ALREADY_ACTIVE =
      SmtpReply.of(503, status(5, 5, 1), "Bad sequence of commands: TLS already active");

  public static final SmtpReply TRANSACTION_IN_PROGRESS =
      SmtpReply.of(503, status(5, 5, 1), "Bad sequence of commands: mail transaction in progress");

  public static final SmtpReply SEND_HELO_FIRST =
      SmtpReply.of(503, status(5, 5, 1), "Bad sequence of commands: send EHLO or HELO first");

  public static final SmtpReply NESTED_MAIL =
      SmtpReply.of(503, status(5, 5, 1), "Bad sequence of commands: sender already specified");

  public static final SmtpReply NEED_MAIL =
      SmtpReply.of(503, status(5, 5, 1), "Bad sequence of commands: need MAIL before RCPT");

  public static final SmtpReply NO_VALID_RECIPIENTS =
      SmtpReply.of(503, status(5, 5, 1), "Bad sequence of commands: no valid recipients");

  /** RFC 3030 section 2: BDAT needs a transaction; DATA and BDAT may not be mixed in one. */
  public static final SmtpReply NEED_MAIL_BEFORE_BDAT =
      SmtpReply.of(
          503, status(5, 5, 1), "Bad sequence of commands: need MAIL and RCPT before BDAT");

  public static final SmtpReply DATA_AFTER_BDAT =
      SmtpReply.of(503, status(5, 5, 1), "Bad sequence of commands: DATA not allowed after BDAT");

  /**
   * A BDAT line whose size cannot be read leaves no way to find the end of the chunk that follows
   * (RFC 3030 section 2), so the server answers this and closes the connection.
   */
  public static final SmtpReply BDAT_SYNTAX =
      SmtpReply.of(501, status(5, 5, 4), "Syntax: BDAT chunk-size [LAST]; closing connection");

  /** RFC 4954 section 4: the client answered a challenge with "*". */
  public static final SmtpReply AUTH_CANCELLED =
      SmtpReply.of(501, status(5, 0, 0), "Authentication cancelled");

  /** RFC 4954 section 4: a response that is not valid base64. */
  public static final SmtpReply AUTH_BAD_BASE64 =
      SmtpReply.of(501, status(5, 5, 2), "Cannot decode base64 response");

  /** RFC 4954 section 4: a response the mechanism cannot read (a PLAIN message without NULs). */
  public static final SmtpReply AUTH_MALFORMED =
      SmtpReply.of(501, status(5, 5, 2), "Malformed authentication response");

  /** RFC 4954 section 4: 504 for a mechanism the server does not support. */
  public static final SmtpReply AUTH_MECHANISM_UNKNOWN =
      SmtpReply.of(504, status(5, 5, 4), "Unrecognized authentication type; use PLAIN or LOGIN");

  /** RFC 4954 section 4: AUTH is not allowed once the session is authenticated. */
  public static final SmtpReply ALREADY_AUTHENTICATED =
      SmtpReply.of(503, status(5, 5, 1), "Bad sequence of commands: already authenticated");

  /** RFC 4954 section 6: the credentials are wrong (unknown user and wrong password alike). */
  public static final SmtpReply AUTH_INVALID =
      SmtpReply.of(535, status(5, 7, 8), "Authentication credentials invalid");

  /** RFC 4954 section 6: this mechanism (any, here) needs TLS first. */
  public static final SmtpReply ENCRYPTION_REQUIRED =
      SmtpReply.of(
          538, status(5, 7, 11), "Encryption required for requested authentication mechanism");

  // ---- 5xx: parameters and policy ----

  /** RFC 5321 section 4.2.3 wording for an unknown or unimplemented MAIL/RCPT parameter. */
  public static final SmtpReply PARAMETER_NOT_RECOGNIZED =
      SmtpReply.of(
          555, status(5, 5, 4), "MAIL FROM/RCPT TO parameters not recognized or not implemented");

  /** RFC 1870 section 6 wording; X.3.4 "message too big for system" (RFC 3463 section 3.4). */
  public static final SmtpReply MESSAGE_TOO_BIG =
      SmtpReply.of(552, status(5, 3, 4), "Message size exceeds fixed maximum message size");

  /**
   * Content errors inside DATA or BDAT fail the transaction (RFC 5321 section 4.2.5: 554) with a
   * media error code (RFC 3463 section 3.7, X.6.0), not a command syntax error: the commands were
   * fine, the message was not.
   */
  public static final SmtpReply CONTENT_BARE_LINE_ENDING =
      SmtpReply.of(
          554,
          status(5, 6, 0),
          "Message refused: bare CR or LF in the content; lines must end with CRLF");

  /** RFC 5321 section 4.5.3.1.6: a text line is at most 1000 octets including CRLF. */
  public static final SmtpReply CONTENT_LINE_TOO_LONG =
      SmtpReply.of(
          554, status(5, 6, 0), "Message refused: a text line is longer than 1000 octets");

  /** RFC 5321 section 4.5.2: a NUL octet is no part of message text (see {@link NulOctets}). */
  public static final SmtpReply CONTENT_NUL =
      SmtpReply.of(554, status(5, 6, 0), "Message refused: NUL octet in the content");

  /** RFC 6531 section 3.5 with the X.6.7 code it registers (RFC 5248). */
  public static final SmtpReply NON_ASCII_ADDRESS =
      SmtpReply.of(553, status(5, 6, 7), "Non-ASCII addresses not permitted without SMTPUTF8");

  /**
   * X.7.1 "delivery not authorized, message refused" (RFC 3463 section 3.8): the address bounced
   * before and is on the suppression list.
   */
  public static final SmtpReply SUPPRESSED_RECIPIENT =
      SmtpReply.of(550, status(5, 7, 1), "Recipient address is on the suppression list");

  /** X.7.1 "delivery not authorized, message refused" (RFC 3463 section 3.8). */
  public static final SmtpReply RELAY_DENIED =
      SmtpReply.of(554, status(5, 7, 1), "Relay access denied");

  /**
   * RFC 5321 section 4.2.2: 553, mailbox name not allowed; X.7.1 (RFC 3463 section 3.8): the
   * authenticated user may not send as this address.
   */
  public static final SmtpReply SENDER_NOT_ALLOWED =
      SmtpReply.of(553, status(5, 7, 1), "Sender address not allowed for this user");

  /**
   * A recipient in one of our relay domains whose local part routes onward ({@code user%other@},
   * {@code "user@other"@}, {@code host!user@}): from a client that may not relay, that would make
   * the next hop relay for it (Postfix's {@code allow_untrusted_routing = no}).
   */
  public static final SmtpReply SENDER_SPECIFIED_ROUTING =
      SmtpReply.of(550, status(5, 7, 1), "Sender-specified routing is not allowed");

  /** X.1.1 "bad destination mailbox address": a local domain, but no user by that name. */
  public static final SmtpReply NO_SUCH_USER =
      SmtpReply.of(550, status(5, 1, 1), "No such user here");

  /**
   * X.2.2 "mailbox full" (RFC 3463 section 3.3), as a 452 (RFC 5321 section 4.2.2, insufficient
   * storage): the client keeps the message and tries again later.
   */
  public static final SmtpReply MAILBOX_FULL =
      SmtpReply.of(452, status(4, 2, 2), "Mailbox full, try again later");

  /** The mailbox store could not be asked (a disk error): try again later. */
  public static final SmtpReply MAILBOX_UNAVAILABLE =
      SmtpReply.of(451, status(4, 3, 0), "Mailbox temporarily unavailable");

  /**
   * RCPT TO:&lt;Postmaster&gt; without a domain names a local mailbox; this relay has none, so it
   * refuses rather than accepting mail it cannot deliver.
   */
  public static final SmtpReply NO_LOCAL_MAILBOXES =
      SmtpReply.of(550, status(5, 1, 1), "Mailbox unavailable: this relay has no local mailboxes");

  /**
   * RFC 5321 section 3.1: a 554 in place of the greeting. Sent to a client that talks before the
   * greeting, which no conforming client does.
   */
  public static final SmtpReply EARLY_TALKER =
      SmtpReply.of(554, status(5, 5, 0), "Protocol error: data sent before the greeting");

  // ---- replies that name the server or the message ----

  /** RFC 5321 section 4.2: the 220 greeting starts with the server's domain. */
  public static SmtpReply greeting(String hostname) {
    return SmtpReply.of(220, hostname + " ESMTP Vireo");
  }

  /**
   * RFC 5321 section 4.1.1.1: the EHLO reply lists one extension keyword per line after the domain.
   */
  public static SmtpReply ehlo(String hostname, List<String> extensions) {
    List<String> lines = new ArrayList<>(extensions.size() + 1);
    lines.add(hostname);
    lines.addAll(extensions);
    return new SmtpReply(250, null, lines);
  }

  public static SmtpReply helo(String hostname) {
    return SmtpReply.of(250, hostname);
  }

  public static SmtpReply closing(String hostname) {
    return SmtpReply.of(221, status(2, 0, 0), hostname + " Service closing transmission channel");
  }

  public static SmtpReply queued(String messageId) {
    return SmtpReply.of(250, status(2, 0, 0), "Ok: queued as " + messageId);
  }

  /** RFC 4954 section 4: a server challenge, base64 (empty for an empty challenge). */
  public static SmtpReply authChallenge(String base64) {
    return SmtpReply.of(334, base64);
  }

  /** RFC 3030 section 2: each non-final BDAT chunk is acknowledged on its own. */
  public static SmtpReply chunkReceived(long octets) {
    return SmtpReply.of(250, status(2, 0, 0), octets + " octets received");
  }

  /** RFC 5321 section 4.5.3.2: the server closes with 421 when a client goes quiet too long. */
  public static SmtpReply timeout(String hostname) {
    return SmtpReply.of(421, status(4, 4, 2), hostname + " Timeout, closing connection");
  }

  public static SmtpReply shuttingDown(String hostname) {
    return SmtpReply.of(
        421, status(4, 3, 2), hostname + " Service shutting down, closing connection");
  }

  public static SmtpReply localError(String hostname) {
    return SmtpReply.of(
        421, status(4, 3, 0), hostname + " Local error in processing, closing connection");
  }

  /** A 501 naming the expected form, e.g. {@code MAIL FROM:<address> [parameters]}. */
  public static SmtpReply usage(String form) {
    return SYNTAX_ERROR.withText("Syntax: " + form);
  }

  /** A 501 for a known parameter with a bad value, naming the parameter. */
  public static SmtpReply badParameter(String keyword) {
    return SYNTAX_ERROR.withText("Invalid " + keyword + " parameter");
  }

  /** A 555 naming the parameter that is not supported. */
  public static SmtpReply parameterNotRecognized(String keyword) {
    return PARAMETER_NOT_RECOGNIZED.withText(
        "MAIL FROM/RCPT TO parameter not recognized or not implemented: " + keyword);
  }
}
