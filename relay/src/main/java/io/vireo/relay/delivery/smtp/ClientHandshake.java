package io.vireo.relay.delivery.smtp;

import io.vireo.relay.protocol.SmtpCommand.Ehlo;
import io.vireo.relay.protocol.SmtpCommand.Helo;
import io.vireo.relay.protocol.SmtpCommand.Quit;
import io.vireo.relay.protocol.SmtpCommand.StartTls;
import io.vireo.relay.protocol.SmtpReply;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a client session up to the point where mail can be sent: connect, greeting, EHLO (HELO if
 * the server rejects EHLO with 5xx), STARTTLS under the route's {@link TlsPolicy} (with one
 * plain-text retry when an opportunistic handshake fails and nothing needs TLS) and SMTP AUTH with
 * {@link ClientAuthentication}. What it learned is handed to the new {@link SmtpClientConnection}.
 */
final class ClientHandshake {
  private static final Logger log = LoggerFactory.getLogger(SmtpClientConnection.class);

  /** QUIT is a courtesy; an unresponsive server must not hold up the caller for long. */
  private static final Duration QUIT_TIMEOUT = Duration.ofSeconds(5);

  private ClientHandshake() {}

  /**
   * Opens a session with the server {@code target} names, under its TLS policy and credentials; see
   * {@link SmtpClientConnection#open(InetSocketAddress, String, String, TlsPolicy, SmtpCredentials,
   * SSLContext, ClientTimeouts)}.
   */
  static SmtpClientConnection open(
      PoolKey target, String heloName, SSLContext sslContextOrNull, ClientTimeouts timeouts)
      throws SmtpClientException {
    try {
      return establish(target, heloName, sslContextOrNull, timeouts, true);
    } catch (PlainTextRetry retry) {
      String remote = describe(target.serverName(), target.address());
      if (target.credentials() != null) {
        // A plain-text session could not authenticate anyway (see ClientAuthentication).
        String reason =
            "TLS handshake with "
                + remote
                + " failed ("
                + retry.getCause().getMessage()
                + "); no plain-text retry, since the route authenticates as "
                + target.credentials().username();
        log.warn("{}", reason);
        throw new SmtpClientException(reason, null, true, retry.getCause());
      }
      log.info(
          "TLS handshake with {} failed ({}); opportunistic TLS falls back to plain text",
          remote,
          retry.getCause().getMessage());
      try {
        return establish(target, heloName, sslContextOrNull, timeouts, false);
      } catch (PlainTextRetry impossible) {
        throw new IllegalStateException("TLS attempted on a plain-text retry", impossible);
      }
    }
  }

  private static SmtpClientConnection establish(
      PoolKey target,
      String heloName,
      SSLContext sslContextOrNull,
      ClientTimeouts timeouts,
      boolean tlsAllowed)
      throws SmtpClientException, PlainTextRetry {
    String serverName = target.serverName();
    TlsPolicy tls = target.tls();
    SmtpCredentials credentials = target.credentials();
    String remote = describe(serverName, target.address());
    ClientTransport transport;
    try {
      transport =
          ClientTransport.connect(
              target.address(),
              timeouts.connect(),
              timeouts.command(),
              "smtp-client-writes " + remote);
    } catch (IOException e) {
      throw new SmtpClientException(
          "cannot connect to " + remote + ": " + e.getMessage(), null, true, e);
    }
    boolean established = false;
    String step = "greeting";
    try {
      SmtpReply greeting = transport.readReply(timeouts.greeting());
      if (greeting.code() != 220) {
        // RFC 5321 section 3.1: after a 554 greeting the server waits for QUIT; 421 means it is
        // closing anyway. Either way the caller may try the next MX.
        quitQuietly(transport, timeouts);
        throw new SmtpClientException(remote + " greeted with " + greeting.text(), greeting, true);
      }
      step = "EHLO";
      ServerCapabilities capabilities = hello(transport, heloName, timeouts, remote);
      boolean secured = false;
      if (tls != TlsPolicy.NONE && tlsAllowed) {
        if (capabilities.startTls()) {
          step = "STARTTLS";
          transport.command(new StartTls());
          transport.flush(timeouts.command());
          SmtpReply reply = transport.readReply(timeouts.command());
          if (reply.code() == 220) {
            handshake(transport, tls, sslContextOrNull, serverName, timeouts, remote);
            // RFC 3207 section 4.2: discard what was learned before TLS and ask again.
            step = "EHLO after STARTTLS";
            capabilities = hello(transport, heloName, timeouts, remote);
            secured = true;
          } else if (tls != TlsPolicy.OPPORTUNISTIC) {
            quitQuietly(transport, timeouts);
            throw new SmtpClientException(
                remote + " refused STARTTLS: " + reply.text(), reply, true);
          } else {
            // RFC 3207 section 4: after a refused STARTTLS the session goes on in plain text.
            log.debug("{} refused STARTTLS ({}); continuing in plain text", remote, reply.text());
          }
        } else if (tls != TlsPolicy.OPPORTUNISTIC) {
          quitQuietly(transport, timeouts);
          throw new SmtpClientException(
              remote + " does not offer STARTTLS, which TLS policy " + tls + " requires",
              null,
              true);
        }
      }
      String authenticatedUser = null;
      if (credentials != null) {
        step = "AUTH";
        switch (ClientAuthentication.authenticate(
            transport, credentials, capabilities, tls, secured, timeouts.command(), remote)) {
          case ClientAuthentication.Outcome.Authenticated authenticated -> {
            authenticatedUser = credentials.username();
            log.debug(
                "authenticated to {} as {} with {}",
                remote,
                authenticatedUser,
                authenticated.mechanism());
          }
          case ClientAuthentication.Outcome.Refused refused -> {
            if (refused.reply() != null && refused.reply().isTransient()) {
              log.info("{}", refused.reason());
            } else {
              // Wrong credentials, or a route that would leak them, need the operator.
              log.warn("{}", refused.reason());
            }
            quitQuietly(transport, timeouts);
            throw new SmtpClientException(refused.reason(), refused.reply(), true);
          }
        }
      }
      SmtpClientConnection connection =
          new SmtpClientConnection(
              transport, timeouts, remote, capabilities, secured, authenticatedUser);
      established = true;
      log.debug(
          "connected to {} (tls={}, pipelining={}, auth={})",
          remote,
          secured,
          capabilities.pipelining(),
          authenticatedUser);
      return connection;
    } catch (IOException e) {
      String what = e instanceof SocketTimeoutException ? "timed out" : "failed";
      throw new SmtpClientException(
          step + " with " + remote + " " + what + ": " + e.getMessage(), null, true, e);
    } finally {
      if (!established) {
        transport.close();
      }
    }
  }

  private static void handshake(
      ClientTransport transport,
      TlsPolicy tls,
      SSLContext sslContextOrNull,
      String serverName,
      ClientTimeouts timeouts,
      String remote)
      throws IOException, SmtpClientException, PlainTextRetry {
    boolean verify = tls == TlsPolicy.VERIFY;
    SSLContext context;
    try {
      context =
          verify
              ? Objects.requireNonNullElse(sslContextOrNull, SSLContext.getDefault())
              : OpportunisticTls.context();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK offers no default TLS context", e);
    }
    try {
      transport.startTls(context, serverName, verify, timeouts.command());
      // One line per outbound TLS session, as Postfix's "TLS connection established".
      SSLSession session = transport.tlsSession();
      LoggerFactory.getLogger("delivery")
          .info(
              "{} TLS connection established to {}: {} with cipher {}",
              verify ? "Verified" : "Untrusted",
              remote,
              session.getProtocol(),
              session.getCipherSuite());
    } catch (SSLException e) {
      if (tls == TlsPolicy.OPPORTUNISTIC) {
        throw new PlainTextRetry(e);
      }
      throw new SmtpClientException(
          "TLS handshake with " + remote + " failed: " + e.getMessage(), null, true, e);
    }
  }

  /** EHLO, or HELO when the server does not know EHLO (RFC 5321 section 3.2). */
  private static ServerCapabilities hello(
      ClientTransport transport, String heloName, ClientTimeouts timeouts, String remote)
      throws IOException, SmtpClientException {
    transport.command(new Ehlo(heloName));
    transport.flush(timeouts.command());
    SmtpReply ehlo = transport.readReply(timeouts.command());
    if (ehlo.isCompletion()) {
      return ServerCapabilities.fromEhlo(ehlo);
    }
    if (ehlo.isPermanent()) {
      transport.command(new Helo(heloName));
      transport.flush(timeouts.command());
      SmtpReply helo = transport.readReply(timeouts.command());
      if (helo.isCompletion()) {
        return ServerCapabilities.heloOnly();
      }
      quitQuietly(transport, timeouts);
      throw new SmtpClientException(remote + " rejected HELO: " + helo.text(), helo, true);
    }
    quitQuietly(transport, timeouts);
    throw new SmtpClientException(remote + " rejected EHLO: " + ehlo.text(), ehlo, true);
  }

  /** QUIT, waiting briefly for the reply; the server may already be gone. */
  static void quitQuietly(ClientTransport transport, ClientTimeouts timeouts) {
    Duration timeout =
        timeouts.command().compareTo(QUIT_TIMEOUT) < 0 ? timeouts.command() : QUIT_TIMEOUT;
    try {
      transport.command(new Quit());
      transport.flush(timeout);
      transport.readReply(timeout);
    } catch (IOException e) {
      // The server may already have hung up; QUIT was a courtesy.
    }
  }

  private static String describe(String serverName, InetSocketAddress address) {
    String ip =
        address.getAddress() != null
            ? address.getAddress().getHostAddress()
            : address.getHostString();
    return serverName + "[" + ip + "]:" + address.getPort();
  }

  /**
   * Signals that an opportunistic TLS handshake failed and the connection should be redone plain.
   */
  private static final class PlainTextRetry extends Exception {
    private static final long serialVersionUID = 1L;

    PlainTextRetry(SSLException cause) {
      super(cause);
    }
  }
}
