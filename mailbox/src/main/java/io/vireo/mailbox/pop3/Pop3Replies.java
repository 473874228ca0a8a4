package io.vireo.mailbox.pop3;

/**
 * Every POP3 status line the server sends, with RFC 2449 / RFC 3206 response codes where one
 * applies ({@code [AUTH]}: the credentials; {@code [SYS/TEMP]}: try again later; {@code
 * [SYS/PERM]}: it will not work later either; {@code [IN-USE]}: the maildrop is locked).
 */
final class Pop3Replies {
  private Pop3Replies() {}

  static Pop3Reply greeting(String hostname) {
    return Pop3Reply.ok(hostname + " POP3 Vireo ready");
  }

  static Pop3Reply signingOff(String hostname) {
    return Pop3Reply.ok(hostname + " POP3 signing off");
  }

  static final Pop3Reply OK = Pop3Reply.ok("");
  static final Pop3Reply CAPABILITIES = Pop3Reply.ok("Capability list follows");
  static final Pop3Reply MECHANISMS = Pop3Reply.ok("SASL mechanisms follow");
  static final Pop3Reply USER_OK = Pop3Reply.ok("send PASS");
  static final Pop3Reply LOGGED_IN = Pop3Reply.ok("logged in");
  static final Pop3Reply BEGIN_TLS = Pop3Reply.ok("Begin TLS negotiation");
  static final Pop3Reply MARKED_DELETED = Pop3Reply.ok("message deleted");
  static final Pop3Reply UNIQUE_IDS = Pop3Reply.ok("unique-id listing follows");
  static final Pop3Reply TOP_FOLLOWS = Pop3Reply.ok("top of message follows");

  static Pop3Reply dropListing(int count, long octets) {
    return Pop3Reply.ok(count + " " + octets);
  }

  static Pop3Reply messageFollows(long octets) {
    return Pop3Reply.ok(octets + " octets");
  }

  static Pop3Reply reset(int count, long octets) {
    return Pop3Reply.ok("maildrop has " + count + " messages (" + octets + " octets)");
  }

  static final Pop3Reply UNKNOWN_COMMAND = Pop3Reply.err("unknown command");
  static final Pop3Reply LINE_TOO_LONG = Pop3Reply.err("line too long");
  static final Pop3Reply BARE_LINE_END = Pop3Reply.err("lines end with CRLF");
  static final Pop3Reply NOT_IN_THIS_STATE = Pop3Reply.err("command not valid in this state");
  static final Pop3Reply USER_FIRST = Pop3Reply.err("send USER first");
  static final Pop3Reply NO_SUCH_MESSAGE = Pop3Reply.err("no such message");
  static final Pop3Reply ALREADY_DELETED = Pop3Reply.err("message already deleted");
  static final Pop3Reply TOO_MANY_ERRORS = Pop3Reply.err("too many errors, closing");

  /** RFC 2595 section 4 (STLS only in AUTHORIZATION state, and once). */
  static final Pop3Reply TLS_NOT_AVAILABLE = Pop3Reply.err("STLS not available");

  static final Pop3Reply TLS_ALREADY_ACTIVE = Pop3Reply.err("TLS already active");

  /** As Dovecot words it: logins wait for TLS ({@code auth.require-tls}). */
  static final Pop3Reply TLS_REQUIRED =
      Pop3Reply.err("AUTH", "Plaintext authentication disallowed on non-secure connections; use STLS");

  static final Pop3Reply LOGIN_FAILED = Pop3Reply.err("AUTH", "invalid user name or password");
  static final Pop3Reply THROTTLED =
      Pop3Reply.err("SYS/TEMP", "too many failed logins; try again later");
  static final Pop3Reply LOCKED_OUT =
      Pop3Reply.err("SYS/TEMP", "too many failed logins; locked out for a while");
  static final Pop3Reply MECHANISM_UNSUPPORTED = Pop3Reply.err("unsupported SASL mechanism");
  static final Pop3Reply AUTH_CANCELLED = Pop3Reply.err("authentication cancelled");
  static final Pop3Reply BAD_SASL = Pop3Reply.err("malformed SASL response");

  /** RFC 2449 section 8.1.2 (IN-USE): another session holds the maildrop. */
  static final Pop3Reply IN_USE = Pop3Reply.err("IN-USE", "maildrop is locked by another session");

  static final Pop3Reply MAILDROP_FAILED =
      Pop3Reply.err("SYS/TEMP", "maildrop cannot be opened now");
  static final Pop3Reply READ_FAILED = Pop3Reply.err("SYS/TEMP", "message cannot be read now");
  static final Pop3Reply MESSAGE_GONE = Pop3Reply.err("message was removed by another client");
  static final Pop3Reply UPDATE_FAILED =
      Pop3Reply.err("SYS/TEMP", "some deleted messages could not be removed");
  static final Pop3Reply AUTOLOGOUT = Pop3Reply.err("autologout: idle for too long");
  static final Pop3Reply SHUTTING_DOWN = Pop3Reply.err("SYS/TEMP", "server shutting down");
  static final Pop3Reply LOCAL_ERROR = Pop3Reply.err("SYS/TEMP", "local error");
}
