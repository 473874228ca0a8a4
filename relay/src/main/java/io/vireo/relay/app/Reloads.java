package io.vireo.relay.app;

import io.vireo.config.ConfigException;
import io.vireo.config.ConfigLoader;
import io.vireo.config.HostPort;
import io.vireo.config.VireoConfig;
import io.vireo.relay.access.AccessServer;
import io.vireo.relay.admin.ReloadResult;
import io.vireo.relay.delivery.DeliveryEngine;
import io.vireo.relay.listen.ProxyTrust;
import io.vireo.relay.local.LocalDelivery;
import io.vireo.relay.server.ServerSecurity;
import io.vireo.relay.server.ServerSettings;
import io.vireo.relay.server.SmtpServer;
import io.vireo.relay.webhooks.Webhooks;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Configuration reloads of a running relay ({@code SIGHUP}, {@code vireo reload}, {@code POST
 * /v1/reload}): reads the file, checks it as {@code vireo config check} does, builds every new part
 * first and only then swaps them in, so a bad file (or a certificate that does not load) changes
 * nothing. One reload at a time.
 */
final class Reloads {
  private static final Logger log = LoggerFactory.getLogger(Reloads.class);

  private final Path file;
  private final SmtpServer smtp;
  private final DeliveryEngine delivery;
  private final LocalDelivery local;
  // The POP3 and IMAP servers: their connection limits follow a reload as SMTP's do.
  private final List<AccessServer> access;
  private final Notifications notifications;
  private final Clock clock;
  private final ReentrantLock lock = new ReentrantLock();
  private volatile VireoConfig current;
  // Written under lock; POP3 and IMAP read it at each connection and login.
  private final AtomicReference<ServerSecurity> security;
  // The POP3S/IMAPS listeners stay bound as started, so TLS cannot go away under them.
  private final boolean accessImplicitTls;

  Reloads(
      Path file,
      VireoConfig initial,
      AtomicReference<ServerSecurity> security,
      SmtpServer smtp,
      DeliveryEngine delivery,
      LocalDelivery local,
      List<AccessServer> access,
      Notifications notifications,
      Clock clock) {
    this.file = file;
    this.access = List.copyOf(access);
    this.local = Objects.requireNonNull(local, "local");
    this.notifications = Objects.requireNonNull(notifications, "notifications");
    this.current = Objects.requireNonNull(initial, "initial");
    this.security = Objects.requireNonNull(security, "security");
    this.accessImplicitTls =
        !initial.listen().pop3s().isEmpty() || !initial.listen().imaps().isEmpty();
    this.smtp = Objects.requireNonNull(smtp, "smtp");
    this.delivery = Objects.requireNonNull(delivery, "delivery");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The configuration in force. */
  VireoConfig current() {
    return current;
  }

  ReloadResult reload() {
    if (file == null) {
      return refused("the relay was started without a configuration file: nothing to reload");
    }
    VireoConfig next;
    try {
      next = ConfigLoader.load(file);
    } catch (ConfigException e) {
      return refused(e.getMessage());
    }
    return apply(next, file.toString());
  }

  ReloadResult apply(VireoConfig next, String source) {
    lock.lock();
    try {
      VireoConfig old = current;
      ConfigChanges changes = ConfigChanges.between(old, next);
      ServerSecurity nextSecurity = security.get();
      if (changes.applied().contains("tls") || changes.applied().contains("auth")) {
        try {
          // Loads the certificate and the users file now: one that does not load refuses the
          // whole reload, with the message config check gives.
          nextSecurity = Relay.security(next, clock, security.get());
        } catch (IOException e) {
          return refused(source + ": " + e.getMessage());
        }
        if (accessImplicitTls && nextSecurity.tls().isEmpty()) {
          return refused(source + ": the running POP3S/IMAPS listeners need tls.cert-file");
        }
      }
      List<byte[]> webhookSecrets;
      try {
        // Read on every reload: rotating a secret means editing its file, not vireo.yaml.
        webhookSecrets = Webhooks.secrets(next.webhooks());
      } catch (IOException e) {
        return refused(source + ": " + e.getMessage());
      }
      // The listeners stay as bound: their addresses from the old file.
      ServerSettings settings =
          new ServerSettings(
              old.hostname(),
              old.listen().smtp().stream().map(HostPort::toSocketAddress).toList(),
              old.listen().smtps().stream().map(HostPort::toSocketAddress).toList(),
              next.limits(),
              next.relay(),
              Duration.ZERO,
              // The trusted balancers follow a reload like the other settings.
              new ProxyTrust(next.listen().proxyFrom(), ProxyTrust.DEFAULT_HEADER_TIMEOUT));
      try {
        smtp.reconfigure(settings, nextSecurity);
        delivery.reconfigure(next.delivery());
        local.reconfigure(next.local(), Relay.userNames(nextSecurity));
      } catch (IllegalArgumentException e) {
        return refused(source + ": " + e.getMessage());
      }
      // The same limits as SMTP, each listener counting its own sessions against them.
      access.forEach(
          server ->
              server.setLimits(
                  next.limits().maxConnections(), next.limits().maxConnectionsPerIp()));
      security.set(nextSecurity);
      current = next;
      notifications.reconfigureSuppression(next.suppression());
      List<String> applied = changes.applied();
      if (notifications.reloadWebhooks(next.webhooks(), webhookSecrets)
          && !applied.contains("webhooks")) {
        applied = Stream.concat(applied.stream(), Stream.of("webhooks (secret-file)")).toList();
      }
      log.info(
          "configuration reloaded from {}: changed {}{}",
          source,
          applied.isEmpty() ? "nothing" : String.join(", ", applied),
          changes.restartRequired().isEmpty()
              ? ""
              : "; needs a restart to change (old value in force): "
                  + String.join(", ", changes.restartRequired()));
      // After the line above, so a quieter level does not hide the reload itself.
      if (!next.log().equals(old.log())) {
        LogLevels.apply(next.log().level());
        LogLevels.format(next.log().json());
      }
      return new ReloadResult.Applied(source, applied, changes.restartRequired());
    } finally {
      lock.unlock();
    }
  }

  private static ReloadResult refused(String message) {
    log.warn("configuration reload refused, the old configuration stays in force: {}", message);
    return new ReloadResult.Refused(message);
  }
}
