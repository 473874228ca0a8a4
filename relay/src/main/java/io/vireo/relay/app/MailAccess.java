package io.vireo.relay.app;

import io.vireo.config.HostPort;
import io.vireo.config.LimitsConfig;
import io.vireo.config.VireoConfig;
import io.vireo.mailbox.access.AccessSession;
import io.vireo.mailbox.access.Logins;
import io.vireo.mailbox.imap.ImapSession;
import io.vireo.mailbox.imap.ImapSettings;
import io.vireo.mailbox.pop3.Pop3Server;
import io.vireo.mailbox.pop3.Pop3Settings;
import io.vireo.mailbox.store.MailStore;
import io.vireo.relay.access.AccessProtocol;
import io.vireo.relay.access.AccessServer;
import io.vireo.relay.access.ThrottledLogins;
import io.vireo.relay.listen.ProxyTrust;
import io.vireo.relay.server.ServerAuth;
import io.vireo.relay.server.ServerSecurity;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The POP3 and IMAP servers a configuration asks for ({@code listen.pop3}, {@code pop3s}, {@code
 * imap}, {@code imaps}), over the {@code mailbox.dir} store, with the same user store, throttle,
 * certificate, limits and load balancers as SMTP. None when no such listener is configured. The
 * users file, throttle and certificate are those in force at each login and connection, and {@code
 * auth.require-tls} and the {@code limits} (message size, errors, command timeout) those in force
 * at each connection, so a reload that changes them reaches POP3 and IMAP as it reaches SMTP; a
 * reload also sets the connection limits of the servers made here ({@link AccessServer#setLimits}).
 */
final class MailAccess {
  private MailAccess() {}

  /**
   * @param store the process's one mailbox store, shared with local delivery: POP3 and IMAP
   *     sessions and deliveries see each other's changes through its folder locks and listeners
   * @param security the certificate, user store, throttle and {@code auth.require-tls} in force (a
   *     reload replaces them)
   * @param limits the {@code limits} in force (SMTP's, which a reload replaces)
   */
  static List<AccessServer> servers(
      VireoConfig config,
      MailStore store,
      Supplier<ServerSecurity> security,
      Clock clock,
      Supplier<ProxyTrust> proxy,
      Supplier<LimitsConfig> limits) {
    List<AccessServer> servers = new ArrayList<>();
    boolean pop3 = config.listen().servesPop3();
    boolean imap = config.listen().servesImap();
    if (!pop3 && !imap) {
      return servers;
    }
    // Without a users file in force every login fails, as SMTP AUTH is then not offered.
    Logins logins = new ThrottledLogins(() -> security.get().auth());
    if (imap) {
      ImapSettings defaults = ImapSettings.defaults(config.hostname(), clock);
      Function<Boolean, ImapSettings> settings =
          requireTls ->
              new ImapSettings(
                  config.hostname(),
                  requireTls,
                  defaults.maxLine(),
                  limits.get().maxMessageSize(),
                  defaults.idleTimeout(),
                  defaults.loginTimeout(),
                  Math.max(1, limits.get().maxErrors()),
                  clock);
      ImapSession imapSessions = new ImapSession(store, logins, inForce(security, settings));
      servers.add(
          server(
              AccessProtocol.IMAP,
              config.listen().imap(),
              config.listen().imaps(),
              config,
              security,
              proxy,
              limits,
              imapSessions));
    }
    if (!pop3) {
      return servers;
    }
    Function<Boolean, Pop3Settings> settings =
        requireTls ->
            new Pop3Settings(
                config.hostname(),
                config.mailbox().pop3Autologout(),
                requireTls,
                limits.get().maxErrors());
    Pop3Server pop3Server = new Pop3Server(inForce(security, settings), store, logins);
    servers.add(
        server(
            AccessProtocol.POP3,
            config.listen().pop3(),
            config.listen().pop3s(),
            config,
            security,
            proxy,
            limits,
            pop3Server));
    return servers;
  }

  /**
   * The settings for a connection, from the limits in force: waiting for TLS before a login when
   * the {@code auth.require-tls} in force says so. Without a users file in force no login can
   * succeed; TLS is then asked for first, as SMTP (which then offers no AUTH) keeps passwords off
   * the wire too.
   */
  private static <S> Supplier<S> inForce(
      Supplier<ServerSecurity> security, Function<Boolean, S> settings) {
    return () -> settings.apply(security.get().auth().map(ServerAuth::requireTls).orElse(true));
  }

  private static AccessServer server(
      AccessProtocol protocol,
      List<HostPort> plain,
      List<HostPort> implicitTls,
      VireoConfig config,
      Supplier<ServerSecurity> security,
      Supplier<ProxyTrust> proxy,
      Supplier<LimitsConfig> limits,
      AccessSession sessions) {
    LimitsConfig initial = config.limits();
    return new AccessServer(
        new AccessServer.Settings(
            protocol,
            addresses(plain),
            addresses(implicitTls),
            () -> security.get().tls(),
            proxy,
            initial.maxConnections(),
            initial.maxConnectionsPerIp(),
            () -> limits.get().commandTimeout()),
        sessions);
  }

  private static List<InetSocketAddress> addresses(List<HostPort> hostPorts) {
    return hostPorts.stream().map(HostPort::toSocketAddress).toList();
  }
}
