package io.vireo.relay.app;

import io.vireo.config.DeliveryConfig;
import io.vireo.config.DestinationLimits;
import io.vireo.config.VireoConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * The differences between the configuration in force and a reloaded one, split into what a reload
 * applies and what only a restart can change (bound sockets, the spool, the parts built once at
 * start).
 */
record ConfigChanges(List<String> applied, List<String> restartRequired) {
  ConfigChanges {
    applied = List.copyOf(applied);
    restartRequired = List.copyOf(restartRequired);
  }

  static ConfigChanges between(VireoConfig old, VireoConfig next) {
    List<String> applied = new ArrayList<>();
    List<String> restart = new ArrayList<>();
    compare(restart, "hostname", old, next, VireoConfig::hostname);
    compare(restart, "listen.smtp", old, next, c -> c.listen().smtp());
    compare(restart, "listen.smtps", old, next, c -> c.listen().smtps());
    compare(restart, "listen.admin", old, next, c -> c.listen().admin());
    compare(restart, "listen.pop3", old, next, c -> c.listen().pop3());
    compare(restart, "listen.pop3s", old, next, c -> c.listen().pop3s());
    compare(restart, "listen.imap", old, next, c -> c.listen().imap());
    compare(restart, "listen.imaps", old, next, c -> c.listen().imaps());
    compare(restart, "admin.token-file", old, next, c -> c.admin().token());
    compare(restart, "spool", old, next, VireoConfig::spool);
    // The shared limits are built once at start, their password and CA files read then (a new
    // password in the same file takes a restart too).
    compare(restart, "cluster.redis", old, next, c -> c.cluster().redis());
    compare(restart, "cluster.redis-user", old, next, c -> c.cluster().redisUser());
    compare(
        restart, "cluster.redis-password-file", old, next, c -> c.cluster().redisPasswordFile());
    compare(restart, "cluster.redis-ca-file", old, next, c -> c.cluster().redisCaFile());
    // Built once at start: the log, and the list's journal.
    compare(restart, "events", old, next, VireoConfig::events);
    compare(restart, "suppression.enabled", old, next, c -> c.suppression().enabled());
    compare(restart, "suppression.file", old, next, c -> c.suppression().file());
    // Read per recipient and per bounce (Notifications.reconfigureSuppression), by a running list.
    if (old.suppression().enabled()) {
      compare(applied, "suppression.action", old, next, c -> c.suppression().action());
      compare(applied, "suppression.expire-after", old, next, c -> c.suppression().expireAfter());
      compare(
          applied,
          "suppression.soft-bounces",
          old,
          next,
          c -> List.of(c.suppression().softBounces(), c.suppression().softBounceWindow()));
    }
    // The dispatchers are restarted with the new list (Notifications.reloadWebhooks).
    compare(applied, "webhooks", old, next, VireoConfig::webhooks);
    // SMTP, POP3 and IMAP ask for the trusted balancers at each connection.
    compare(applied, "listen.proxy-from", old, next, c -> c.listen().proxyFrom());
    compare(applied, "limits", old, next, VireoConfig::limits);
    compare(applied, "relay", old, next, VireoConfig::relay);
    compare(applied, "tls", old, next, VireoConfig::tls);
    // auth.require-tls included: POP3 and IMAP read it, as SMTP does, at each connection.
    compare(applied, "auth", old, next, VireoConfig::auth);
    compare(applied, "shutdown", old, next, VireoConfig::shutdown);
    compare(applied, "log", old, next, VireoConfig::log);
    compare(applied, "local", old, next, VireoConfig::local);
    // The mailbox store is one per process, shared with POP3 and IMAP sessions.
    compare(restart, "mailbox.dir", old, next, c -> c.mailbox().dir());
    // Given to the POP3 sessions when the listener is built.
    compare(
        restart, "mailbox.pop3-autologout", old, next, c -> c.mailbox().pop3Autologout());
    DeliveryConfig a = old.delivery();
    DeliveryConfig b = next.delivery();
    compare(applied, "delivery.port", a, b, DeliveryConfig::port);
    compare(applied, "delivery.routes", a, b, DeliveryConfig::routes);
    compare(applied, "delivery.retry", a, b, DeliveryConfig::retry);
    compare(applied, "delivery.tls", a, b, DeliveryConfig::tls);
    compare(applied, "delivery.delay-warning", a, b, DeliveryConfig::delayWarning);
    compare(applied, "delivery.shaping", a, b, DeliveryConfig::shaping);
    compare(applied, "delivery.backoff", a, b, DeliveryConfig::backoff);
    // Read when the engine is built.
    compare(restart, "delivery.tuning", a, b, DeliveryConfig::tuning);
    compare(
        applied,
        "delivery.defaults",
        a,
        b,
        d ->
            new DestinationLimits(
                d.defaults().connections(),
                d.defaults().rate(),
                d.defaults().messagesPerConnection(),
                a.defaults().idleTimeout()));
    // The connection pool and the resolver are built once, at start.
    compare(restart, "delivery.defaults.idle-timeout", a, b, d -> d.defaults().idleTimeout());
    compare(restart, "delivery.dns", a, b, DeliveryConfig::dns);
    compare(restart, "delivery.helo-name", a, b, DeliveryConfig::heloName);
    compare(restart, "delivery.max-connections", a, b, DeliveryConfig::maxConnections);
    return new ConfigChanges(applied, restart);
  }

  private static <C> void compare(
      List<String> into, String key, C old, C next, Function<C, Object> value) {
    if (!Objects.equals(value.apply(old), value.apply(next))) {
      into.add(key);
    }
  }
}
