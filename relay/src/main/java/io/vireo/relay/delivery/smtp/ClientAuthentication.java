package io.vireo.relay.delivery.smtp;

import io.vireo.relay.auth.Sasl;
import io.vireo.relay.auth.SaslClientExchange;
import io.vireo.relay.auth.SaslMechanism;
import io.vireo.relay.protocol.SmtpCommand.Auth;
import io.vireo.relay.protocol.SmtpCommandRenderer;
import io.vireo.relay.protocol.SmtpReply;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * The client side of SMTP AUTH (RFC 4954) with the PLAIN (RFC 4616) and LOGIN mechanisms, run once
 * per connection after EHLO (and after STARTTLS and the second EHLO). It decides whether
 * credentials may be sent at all, picks a mechanism the server offers, and carries the messages of
 * a {@link SaslClientExchange} (the mechanisms themselves live in {@code auth}, shared with the
 * server) over 334 challenges.
 *
 * <p>Nothing here logs, and no outcome text contains the password or an encoded response: the
 * caller may log and report every outcome as it is.
 */
final class ClientAuthentication {
  /**
   * RFC 5321 section 4.5.3.1.4 limits a command line to 512 octets with its CRLF. RFC 4954 section
   * 4 lifts that for AUTH, but an initial response that does not fit the old limit goes after the
   * server's empty challenge instead, which every server understands.
   */
  private static final int MAX_COMMAND = 510;

  private ClientAuthentication() {}

  /** How an AUTH attempt ended: a closed set. */
  sealed interface Outcome {
    /** The server answered 235: the session is authenticated as the credentials' user. */
    record Authenticated(SaslMechanism mechanism) implements Outcome {}

    /**
     * No authentication. {@code reply} is the server's answer that ended the attempt, or null when
     * the client refused to send the credentials at all.
     */
    record Refused(String reason, SmtpReply reply) implements Outcome {}
  }

  /** The first of {@link SaslMechanism#values()} among {@code offered}, or null. */
  static SaslMechanism choose(Set<String> offered) {
    for (SaslMechanism mechanism : SaslMechanism.values()) {
      if (offered.contains(mechanism.name())) {
        return mechanism;
      }
    }
    return null;
  }

  /**
   * Authenticates if it is safe and possible. Credentials travel in plain text only when the route
   * asked for no TLS at all ({@link TlsPolicy#NONE}); under {@link TlsPolicy#OPPORTUNISTIC} a
   * session that ended up without TLS (not offered, refused) is refused here, since an attacker who
   * strips STARTTLS from the EHLO reply (RFC 3207 section 6) would otherwise read them.
   *
   * @param secured whether STARTTLS succeeded on this connection
   * @throws IOException when the connection fails or times out during the exchange
   */
  static Outcome authenticate(
      ClientTransport transport,
      SmtpCredentials credentials,
      ServerCapabilities capabilities,
      TlsPolicy tls,
      boolean secured,
      Duration timeout,
      String remote)
      throws IOException {
    String user = credentials.username();
    if (!secured && tls != TlsPolicy.NONE) {
      return new Outcome.Refused(
          "not authenticating as "
              + user
              + " to "
              + remote
              + ": the session is not encrypted (STARTTLS not offered or refused) and credentials"
              + " go out in plain text only under TLS policy NONE",
          null);
    }
    if (capabilities.authMechanisms().isEmpty()) {
      return new Outcome.Refused(
          remote + " does not offer AUTH, which the route's credentials (" + user + ") require",
          null);
    }
    SaslMechanism mechanism = choose(capabilities.authMechanisms());
    if (mechanism == null) {
      return new Outcome.Refused(
          remote
              + " offers AUTH "
              + String.join(" ", capabilities.authMechanisms().stream().sorted().toList())
              + " but none this client speaks (PLAIN, LOGIN)",
          null);
    }
    SaslClientExchange exchange = new SaslClientExchange(mechanism, user, credentials.password());
    Optional<String> initial = Optional.empty();
    String pending = null; // an initial response too long for the command line
    if (exchange.hasInitialResponse()) {
      String message = Sasl.base64(exchange.next().orElseThrow());
      Auth withResponse = new Auth(mechanism.name(), Optional.of(message));
      if (SmtpCommandRenderer.render(withResponse).length() <= MAX_COMMAND) {
        initial = Optional.of(message);
      } else {
        pending = message;
      }
    }
    transport.command(new Auth(mechanism.name(), initial));
    // Each pass sends one response or ends: bounded by the responses there are, plus the cancel.
    for (int step = 0; step <= 3; step++) {
      transport.flush(timeout);
      SmtpReply reply = transport.readReply(timeout);
      if (reply.code() == 235) {
        return new Outcome.Authenticated(mechanism);
      }
      if (reply.code() != 334) {
        return new Outcome.Refused(failure(remote, user, mechanism, reply), reply);
      }
      String next = pending != null ? pending : exchange.next().map(Sasl::base64).orElse(null);
      pending = null;
      if (next == null) {
        // A challenge the mechanism has no answer for: RFC 4954 section 4, cancel with "*".
        transport.line(Sasl.CANCEL);
        transport.flush(timeout);
        SmtpReply cancelled = transport.readReply(timeout);
        return new Outcome.Refused(
            remote
                + " sent an unexpected challenge during AUTH "
                + mechanism
                + "; cancelled ("
                + cancelled.text()
                + ")",
            cancelled);
      }
      transport.line(next);
    }
    throw new IllegalStateException("AUTH exchange did not end");
  }

  private static String failure(
      String remote, String user, SaslMechanism mechanism, SmtpReply reply) {
    if (reply.code() == 535) {
      // RFC 4954 section 6: 535 5.7.8, the credentials are wrong; only the operator can fix that.
      return remote + " rejected the credentials of " + user + ": " + reply.text();
    }
    if (reply.isTransient()) {
      return remote + " could not authenticate " + user + " for now: " + reply.text();
    }
    return remote + " refused AUTH " + mechanism + " for " + user + ": " + reply.text();
  }
}
