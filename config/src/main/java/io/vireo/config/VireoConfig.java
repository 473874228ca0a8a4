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
    MailboxConfig mailbox) {
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
    if (!listen.smtps().isEmpty() && !tls.enabled()) {
      throw new IllegalArgumentException("listen.smtps needs tls.cert-file and tls.key-file");
    }
    if (listen.hasImplicitTls() && !tls.enabled()) {
      throw new IllegalArgumentException(
          "listen.pop3s and listen.imaps need tls.cert-file and tls.key-file");
    }
    Objects.requireNonNull(mailbox, "mailbox");
  }

  /** Without local mailboxes configured: {@link MailboxConfig#DEFAULTS}. */
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
        hostname, listen, spool, limits, relay, delivery, tls, auth, admin, cluster, dkim, shutdown,
        log, MailboxConfig.DEFAULTS);
  }

  /** This configuration with the given listeners and mailboxes. */
  public VireoConfig withMailbox(ListenConfig newListen, MailboxConfig newMailbox) {
    return new VireoConfig(
        hostname, newListen, spool, limits, relay, delivery, tls, auth, admin, cluster, dkim,
        shutdown, log, newMailbox);
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
        mailbox);
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
        mailbox);
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
        mailbox);
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
        mailbox);
  }
}
