package io.vireo.config;

import java.util.List;
import java.util.Objects;

/**
 * The whole relay configuration, as read from {@code vireo.yaml}. Immutable. Besides the canonical
 * constructor, one for the six sections every configuration has (the optional ones then off) and
 * a {@code with...} method for each optional part.
 */
public record VireoConfig(
    String hostname,
    ListenConfig listen,
    SpoolConfig spool,
    LimitsConfig limits,
    RelayConfig relay,
    DeliveryConfig delivery,
    TlsConfig tls,
    AuthConfig auth,
    AdminConfig admin,
    ClusterConfig cluster,
    List<DkimConfig> dkim,
    ShutdownConfig shutdown,
    LogConfig log,
    EventsConfig events,
    List<WebhookConfig> webhooks,
    SuppressionConfig suppression,
    LocalConfig local,
    MailboxConfig mailbox,
    ApiConfig api) {
  public VireoConfig {
    Objects.requireNonNull(hostname, "hostname");
    if (!DomainNames.isValid(hostname)) {
      throw new IllegalArgumentException("hostname is not a valid domain name: " + hostname);
    }
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(spool, "spool");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(relay, "relay");
    Objects.requireNonNull(delivery, "delivery");
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(cluster, "cluster");
    dkim = List.copyOf(dkim);
    Objects.requireNonNull(shutdown, "shutdown");
    Objects.requireNonNull(log, "log");
    Objects.requireNonNull(events, "events");
    webhooks = List.copyOf(webhooks);
    Objects.requireNonNull(suppression, "suppression");
    if (!webhooks.isEmpty() && !events.enabled()) {
      throw new IllegalArgumentException(
          "webhooks need events.enabled: true (they are sent from the event log)");
    }
    Objects.requireNonNull(local, "local");
    Objects.requireNonNull(mailbox, "mailbox");
    for (String domain : local.domains()) {
      // A domain is either delivered here or relayed on; both at once would be a mail loop waiting.
      if (relay.domains().contains(domain)) {
        throw new IllegalArgumentException(
            "domain " + domain + " is in both local.domains and relay.domains; list it in one");
      }
    }
    Objects.requireNonNull(api, "api");
    if (listen.http().isPresent() && api.keysFile().isEmpty()) {
      throw new IllegalArgumentException("listen.http needs api.keys-file");
    }
    if (!listen.smtps().isEmpty() && !tls.enabled()) {
      throw new IllegalArgumentException("listen.smtps needs tls.cert-file and tls.key-file");
    }
    if (listen.hasImplicitTls() && !tls.enabled()) {
      throw new IllegalArgumentException(
          "listen.pop3s and listen.imaps need tls.cert-file and tls.key-file");
    }
  }

  /** A configuration without an event log, webhooks, suppression, local mailboxes or HTTP API. */
  public VireoConfig(
      String hostname,
      ListenConfig listen,
      SpoolConfig spool,
      LimitsConfig limits,
      RelayConfig relay,
      DeliveryConfig delivery,
      TlsConfig tls,
      AuthConfig auth,
      AdminConfig admin,
      ClusterConfig cluster,
      List<DkimConfig> dkim,
      ShutdownConfig shutdown,
      LogConfig log) {
    this(
        hostname,
        listen,
        spool,
        limits,
        relay,
        delivery,
        tls,
        auth,
        admin,
        cluster,
        dkim,
        shutdown,
        log,
        EventsConfig.DEFAULTS,
        List.of(),
        SuppressionConfig.DEFAULTS,
        LocalConfig.NONE,
        MailboxConfig.DEFAULTS,
        ApiConfig.OFF);
  }

  /**
   * A node on its own without TLS, AUTH or DKIM, whose admin server needs no token (its address
   * must then be loopback).
   */
  public VireoConfig(
      String hostname,
      ListenConfig listen,
      SpoolConfig spool,
      LimitsConfig limits,
      RelayConfig relay,
      DeliveryConfig delivery) {
    this(
        hostname,
        listen,
        spool,
        limits,
        relay,
        delivery,
        TlsConfig.NONE,
        AuthConfig.DEFAULTS,
        AdminConfig.NO_TOKEN,
        ClusterConfig.LOCAL,
        List.of(),
        ShutdownConfig.DEFAULTS,
        LogConfig.DEFAULTS,
        EventsConfig.DEFAULTS,
        List.of(),
        SuppressionConfig.DEFAULTS,
        LocalConfig.NONE,
        MailboxConfig.DEFAULTS,
        ApiConfig.OFF);
  }

  /** This configuration with TLS and AUTH on the listeners as given. */
  public VireoConfig withSecurity(TlsConfig newTls, AuthConfig newAuth) {
    return new VireoConfig(
        hostname,
        listen,
        spool,
        limits,
        relay,
        delivery,
        newTls,
        newAuth,
        admin,
        cluster,
        dkim,
        shutdown,
        log,
        events,
        webhooks,
        suppression,
        local,
        mailbox,
        api);
  }

  /** This configuration with the admin server protected as given. */
  public VireoConfig withAdmin(AdminConfig newAdmin) {
    return new VireoConfig(
        hostname,
        listen,
        spool,
        limits,
        relay,
        delivery,
        tls,
        auth,
        newAdmin,
        cluster,
        dkim,
        shutdown,
        log,
        events,
        webhooks,
        suppression,
        local,
        mailbox,
        api);
  }

  /** This configuration with the given {@code shutdown} and {@code log} sections. */
  public VireoConfig withOperations(ShutdownConfig newShutdown, LogConfig newLog) {
    return new VireoConfig(
        hostname,
        listen,
        spool,
        limits,
        relay,
        delivery,
        tls,
        auth,
        admin,
        cluster,
        dkim,
        newShutdown,
        newLog,
        events,
        webhooks,
        suppression,
        local,
        mailbox,
        api);
  }

  /** This configuration in the given cluster. */
  public VireoConfig withCluster(ClusterConfig newCluster) {
    return new VireoConfig(
        hostname,
        listen,
        spool,
        limits,
        relay,
        delivery,
        tls,
        auth,
        admin,
        newCluster,
        dkim,
        shutdown,
        log,
        events,
        webhooks,
        suppression,
        local,
        mailbox,
        api);
  }

  /** This configuration with the HTTP send API on {@code http} with the given settings. */
  public VireoConfig withApi(HostPort http, ApiConfig newApi) {
    return new VireoConfig(
        hostname,
        listen.withHttp(http),
        spool,
        limits,
        relay,
        delivery,
        tls,
        auth,
        admin,
        cluster,
        dkim,
        shutdown,
        log,
        events,
        webhooks,
        suppression,
        local,
        mailbox,
        newApi);
  }

  /** This configuration with the given event log, webhooks and suppression list. */
  public VireoConfig withNotifications(
      EventsConfig newEvents, List<WebhookConfig> newWebhooks, SuppressionConfig newSuppression) {
    return new VireoConfig(
        hostname,
        listen,
        spool,
        limits,
        relay,
        delivery,
        tls,
        auth,
        admin,
        cluster,
        dkim,
        shutdown,
        log,
        newEvents,
        newWebhooks,
        newSuppression,
        local,
        mailbox,
        api);
  }

  /** This configuration with the given local domains and mailbox root. */
  public VireoConfig withLocal(LocalConfig newLocal, MailboxConfig newMailbox) {
    return new VireoConfig(
        hostname,
        listen,
        spool,
        limits,
        relay,
        delivery,
        tls,
        auth,
        admin,
        cluster,
        dkim,
        shutdown,
        log,
        events,
        webhooks,
        suppression,
        newLocal,
        newMailbox,
        api);
  }

  /** This configuration with the given listeners (POP3 and IMAP among them) and mailbox root. */
  public VireoConfig withMailbox(ListenConfig newListen, MailboxConfig newMailbox) {
    return new VireoConfig(
        hostname,
        newListen,
        spool,
        limits,
        relay,
        delivery,
        tls,
        auth,
        admin,
        cluster,
        dkim,
        shutdown,
        log,
        events,
        webhooks,
        suppression,
        local,
        newMailbox,
        api);
  }
}
