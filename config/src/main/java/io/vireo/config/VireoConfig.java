package io.vireo.config;

import java.util.List;
import java.util.Objects;

/**
 * The whole relay configuration, as read from {@code vireo.yaml}. Immutable. Besides the canonical
 * constructor, one for the six sections every configuration has (the optional ones then off), a
 * {@code with...} method for each optional part, and {@link #toBuilder()} for the rest.
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
        LogConfig.DEFAULTS);
  }

  /** This configuration with TLS and AUTH on the listeners as given. */
  public VireoConfig withSecurity(TlsConfig newTls, AuthConfig newAuth) {
    return toBuilder().tls(newTls).auth(newAuth).build();
  }

  /** This configuration with the admin server protected as given. */
  public VireoConfig withAdmin(AdminConfig newAdmin) {
    return toBuilder().admin(newAdmin).build();
  }

  /** This configuration with the given {@code shutdown} and {@code log} sections. */
  public VireoConfig withOperations(ShutdownConfig newShutdown, LogConfig newLog) {
    return toBuilder().shutdown(newShutdown).log(newLog).build();
  }

  /** This configuration in the given cluster. */
  public VireoConfig withCluster(ClusterConfig newCluster) {
    return toBuilder().cluster(newCluster).build();
  }

  /** This configuration with the HTTP send API on {@code http} with the given settings. */
  public VireoConfig withApi(HostPort http, ApiConfig newApi) {
    return toBuilder().listen(listen.withHttp(http)).api(newApi).build();
  }

  /** This configuration with the given event log, webhooks and suppression list. */
  public VireoConfig withNotifications(
      EventsConfig newEvents, List<WebhookConfig> newWebhooks, SuppressionConfig newSuppression) {
    return toBuilder().events(newEvents).webhooks(newWebhooks).suppression(newSuppression).build();
  }

  /** This configuration with the given local domains and mailbox root. */
  public VireoConfig withLocal(LocalConfig newLocal, MailboxConfig newMailbox) {
    return toBuilder().local(newLocal).mailbox(newMailbox).build();
  }

  /** This configuration with the given listeners (POP3 and IMAP among them) and mailbox root. */
  public VireoConfig withMailbox(ListenConfig newListen, MailboxConfig newMailbox) {
    return toBuilder().listen(newListen).mailbox(newMailbox).build();
  }

  /**
   * A copy of this configuration to change sections of; {@link Builder#build()} validates the
   * result as the canonical constructor does. The with-methods use it, so a new section is
   * listed here once rather than once in each of them.
   */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Changes sections of a configuration; not thread-safe, meant to be used and dropped. Its
   * one-line setters are alike by nature (the duplicates tool lists them as pairs of one shape):
   * they are what lets every other place name the sections it changes instead of listing all.
   */
  public static final class Builder {
    private String hostname;
    private ListenConfig listen;
    private SpoolConfig spool;
    private LimitsConfig limits;
    private RelayConfig relay;
    private DeliveryConfig delivery;
    private TlsConfig tls;
    private AuthConfig auth;
    private AdminConfig admin;
    private ClusterConfig cluster;
    private List<DkimConfig> dkim;
    private ShutdownConfig shutdown;
    private LogConfig log;
    private EventsConfig events;
    private List<WebhookConfig> webhooks;
    private SuppressionConfig suppression;
    private LocalConfig local;
    private MailboxConfig mailbox;
    private ApiConfig api;

    private Builder(VireoConfig from) {
      hostname = from.hostname;
      listen = from.listen;
      spool = from.spool;
      limits = from.limits;
      relay = from.relay;
      delivery = from.delivery;
      tls = from.tls;
      auth = from.auth;
      admin = from.admin;
      cluster = from.cluster;
      dkim = from.dkim;
      shutdown = from.shutdown;
      log = from.log;
      events = from.events;
      webhooks = from.webhooks;
      suppression = from.suppression;
      local = from.local;
      mailbox = from.mailbox;
      api = from.api;
    }

    public Builder hostname(String value) {
      hostname = value;
      return this;
    }

    public Builder listen(ListenConfig value) {
      listen = value;
      return this;
    }

    public Builder spool(SpoolConfig value) {
      spool = value;
      return this;
    }

    public Builder limits(LimitsConfig value) {
      limits = value;
      return this;
    }

    public Builder relay(RelayConfig value) {
      relay = value;
      return this;
    }

    public Builder delivery(DeliveryConfig value) {
      delivery = value;
      return this;
    }

    public Builder dkim(List<DkimConfig> value) {
      dkim = value;
      return this;
    }

    public Builder tls(TlsConfig value) {
      tls = value;
      return this;
    }

    public Builder auth(AuthConfig value) {
      auth = value;
      return this;
    }

    public Builder admin(AdminConfig value) {
      admin = value;
      return this;
    }

    public Builder cluster(ClusterConfig value) {
      cluster = value;
      return this;
    }

    public Builder shutdown(ShutdownConfig value) {
      shutdown = value;
      return this;
    }

    public Builder log(LogConfig value) {
      log = value;
      return this;
    }

    public Builder events(EventsConfig value) {
      events = value;
      return this;
    }

    public Builder webhooks(List<WebhookConfig> value) {
      webhooks = value;
      return this;
    }

    public Builder suppression(SuppressionConfig value) {
      suppression = value;
      return this;
    }

    public Builder local(LocalConfig value) {
      local = value;
      return this;
    }

    public Builder mailbox(MailboxConfig value) {
      mailbox = value;
      return this;
    }

    public Builder api(ApiConfig value) {
      api = value;
      return this;
    }

    public VireoConfig build() {
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
          local,
          mailbox,
          api);
    }
  }
}
