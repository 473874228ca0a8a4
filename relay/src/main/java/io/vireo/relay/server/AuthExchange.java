package io.vireo.relay.server;

import io.vireo.relay.auth.Credentials;
import io.vireo.relay.auth.LoginThrottle;
import io.vireo.relay.auth.Sasl;
import io.vireo.relay.auth.SaslMechanism;
import io.vireo.relay.auth.SaslServerExchange;
import io.vireo.relay.auth.SaslServerExchange.Step;
import io.vireo.relay.protocol.CommandLine;
import io.vireo.relay.protocol.Replies;
import io.vireo.relay.protocol.SmtpCommand.Auth;
import io.vireo.relay.protocol.SmtpReply;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One AUTH command (RFC 4954 section 4) after the session has checked that AUTH may run: the
 * throttle's verdict for the client address, the SASL exchange over 334 challenges, the throttle's
 * verdict for the user, and the password check. The session acts on the {@link Result}.
 *
 * <p>Failures count against the client address and the user name tried, each judged on its own:
 * one address guessing many users and many addresses guessing one user are both slowed down. An
 * unknown user costs as long as a wrong password and gets the same 535.
 */
final class AuthExchange {
  private static final Logger log = LoggerFactory.getLogger(AuthExchange.class);
  /** PLAIN takes one message, LOGIN two; anything longer is not an exchange we started. */
  private static final int MAX_ROUNDS = 3;

  /** How the command ended; a closed set. */
  sealed interface Result {
    record Authenticated(String username) implements Result {}

    /** Answer {@code reply}; with {@code protocolError} it counts towards the session's errors. */
    record Refused(SmtpReply reply, boolean protocolError) implements Result {}

    /** Answer {@code reply} and close the connection. */
    record Close(SmtpReply reply) implements Result {}

    /** The client went away in the middle. */
    record Disconnected() implements Result {}
  }

  /** Reads the client's next line; null when a shutdown cut the wait short. */
  @FunctionalInterface
  interface LineSource {
    CommandLine next() throws IOException;
  }

  private final ServerAuth auth;
  private final LineSource input;
  private final SmtpReply shuttingDown;
  private final ReplyWriter out;
  private final InetAddress client;
  private final String session;

  /**
   * @param shuttingDown the reply when a shutdown interrupts the exchange
   */
  AuthExchange(
      ServerAuth auth,
      LineSource input,
      ReplyWriter out,
      InetAddress client,
      String session,
      SmtpReply shuttingDown) {
    this.auth = auth;
    this.input = input;
    this.shuttingDown = shuttingDown;
    this.out = out;
    this.client = client;
    this.session = session;
  }

  Result run(Auth command) throws IOException {
    Optional<SaslMechanism> mechanism = SaslMechanism.named(command.mechanism());
    if (mechanism.isEmpty()) {
      return new Result.Refused(Replies.AUTH_MECHANISM_UNKNOWN, true);
    }
    LoginThrottle throttle = auth.throttle();
    String addressKey = LoginThrottle.addressKey(client);
    Result held = verdict(throttle.check(addressKey), "client address");
    if (held != null) {
      return held;
    }
    Optional<byte[]> initial = Optional.empty();
    if (command.initialResponse().isPresent()) {
      String text = command.initialResponse().get();
      initial = text.equals("=") ? Optional.of(new byte[0]) : Sasl.fromBase64(text);
      if (initial.isEmpty()) {
        return new Result.Refused(Replies.AUTH_BAD_BASE64, true);
      }
    }
    SaslServerExchange exchange = new SaslServerExchange(mechanism.get());
    Step step = exchange.start(initial);
    for (int round = 0; step instanceof Step.Challenge(byte[] challenge); round++) {
      if (round == MAX_ROUNDS) {
        return new Result.Refused(Replies.AUTH_MALFORMED, true);
      }
      out.send(Replies.authChallenge(Sasl.base64(challenge)));
      CommandLine line = input.next();
      if (line == null) {
        return new Result.Close(shuttingDown);
      }
      byte[] response;
      switch (line) {
        case CommandLine.EndOfInput() -> {
          return new Result.Disconnected();
        }
        case CommandLine.Malformed(SmtpReply reply) -> {
          return new Result.Refused(reply, true);
        }
        case CommandLine.Line(byte[] bytes) -> response = bytes;
      }
      String text = new String(response, StandardCharsets.US_ASCII);
      if (text.equals(Sasl.CANCEL)) {
        return new Result.Refused(Replies.AUTH_CANCELLED, false);
      }
      Optional<byte[]> decoded = Sasl.fromBase64(text);
      if (decoded.isEmpty()) {
        return new Result.Refused(Replies.AUTH_BAD_BASE64, true);
      }
      step = exchange.next(decoded.get());
    }
    return switch (step) {
      case Step.Malformed(String reason) -> {
        log.debug("{} AUTH {}: {}", session, mechanism.get(), reason);
        yield new Result.Refused(Replies.AUTH_MALFORMED, true);
      }
      case Step.Done(Credentials credentials) -> check(credentials, addressKey);
      case Step.Challenge challenge -> throw new IllegalStateException("unreachable");
    };
  }

  private Result check(Credentials credentials, String addressKey) {
    LoginThrottle throttle = auth.throttle();
    String userKey = LoginThrottle.userKey(credentials.username());
    try {
      Result held = verdict(throttle.check(userKey), "user " + credentials.username());
      if (held != null) {
        return held;
      }
      boolean valid;
      try {
        valid = auth.users().verify(credentials.username(), credentials.password());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Result.Disconnected();
      }
      if (valid) {
        throttle.succeeded(userKey);
        log.info("{} authenticated as {}", session, credentials.username());
        return new Result.Authenticated(credentials.username());
      }
      throttle.failed(addressKey);
      throttle.failed(userKey);
      // One line per failure with address and user, for fail2ban and the like.
      log.info(
          "{} authentication failed: user={} client=[{}]",
          session,
          credentials.username(),
          client.getHostAddress());
      return new Result.Refused(Replies.AUTH_INVALID, true);
    } finally {
      credentials.erase();
    }
  }

  private Result verdict(LoginThrottle.Verdict verdict, String what) {
    return switch (verdict) {
      case LoginThrottle.Verdict.Allowed allowed -> null;
      case LoginThrottle.Verdict.Throttled(java.time.Duration retryAfter) -> {
        log.info("{} AUTH throttled for {} ({} left)", session, what, retryAfter);
        yield new Result.Refused(Replies.AUTH_THROTTLED, false);
      }
      case LoginThrottle.Verdict.LockedOut(java.time.Duration remaining) -> {
        log.warn("{} AUTH locked out for {} ({} left)", session, what, remaining);
        yield new Result.Close(Replies.AUTH_LOCKED_OUT);
      }
    };
  }
}
