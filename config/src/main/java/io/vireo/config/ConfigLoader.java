package io.vireo.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads vireo.yaml into a {@link VireoConfig}. Missing keys take their defaults ({@link
 * #defaults()}); unknown keys, wrong types and invalid values are all collected and thrown together
 * as one {@link ConfigException} whose lines name the file, line, column and key.
 *
 * <p>{@link YamlComposer} reads the text into a node tree; the sections are then bound in groups by
 * {@link ListenBinder}, {@link ClientPolicyBinder}, {@link DeliveryBinder}, {@link
 * LocalMailBinder}, {@link NotificationsBinder} and {@link ClusterBinder}, and here: the top level
 * and the small sections.
 */
public final class ConfigLoader {
  private static final List<Duration> DEFAULT_RETRY_SCHEDULE =
      List.of(
          Duration.ofMinutes(1),
          Duration.ofMinutes(5),
          Duration.ofMinutes(15),
          Duration.ofMinutes(30),
          Duration.ofHours(1),
          Duration.ofHours(2),
          Duration.ofHours(4));

  private ConfigLoader() {}

  /**
   * Reads and validates {@code file}; problems name it as given. Relative paths in it ({@code
   * spool.dir}, {@code admin.token-file}, {@code cluster.redis-password-file}, ...) resolve against
   * the file's directory, so the relay and {@code vireo queue} find the same spool from any working
   * directory.
   */
  public static VireoConfig load(Path file) throws ConfigException {
    String yaml;
    try {
      yaml = Files.readString(file);
    } catch (IOException e) {
      String reason =
          e.getMessage() == null
              ? e.getClass().getSimpleName()
              : e.getClass().getSimpleName() + ": " + e.getMessage();
      throw new ConfigException(
          file.toString(),
          List.of(new ConfigProblem("", 0, 0, "cannot read file (" + reason + ")")));
    }
    return resolvePaths(parse(yaml, file.toString()), file.toAbsolutePath().getParent());
  }

  /** {@code config} with its relative paths resolved against {@code base}; absolute ones kept. */
  static VireoConfig resolvePaths(VireoConfig config, Path base) {
    SpoolConfig spool = config.spool();
    SpoolConfig resolvedSpool =
        new SpoolConfig(
            base.resolve(spool.dir()).normalize(),
            spool.sync(),
            spool.minFreeSpace(),
            spool.rollCycle(),
            spool.contentCache());
    AdminConfig admin =
        config
            .admin()
            .token()
            .map(file -> new AdminConfig(base.resolve(file).normalize()))
            .orElse(config.admin());
    TlsConfig tls =
        new TlsConfig(
            config.tls().certFile().map(file -> base.resolve(file).normalize()),
            config.tls().keyFile().map(file -> base.resolve(file).normalize()));
    ApiConfig api = config.api();
    ApiConfig resolvedApi =
        new ApiConfig(
            api.keysFile().map(file -> base.resolve(file).normalize()),
            api.rate(),
            api.maxBodySize(),
            base.resolve(api.dir()).normalize(),
            api.idempotencyWindow());
    AuthConfig auth = config.auth();
    AuthConfig resolvedAuth =
        new AuthConfig(
            auth.usersFile().map(file -> base.resolve(file).normalize()),
            auth.requireTls(),
            auth.throttleAfter(),
            auth.throttleDelay(),
            auth.lockoutAfter(),
            auth.lockoutDuration(),
            auth.cacheTtl());
    VireoConfig resolved =
        config.toBuilder()
            .spool(resolvedSpool)
            .tls(tls)
            .auth(resolvedAuth)
            .admin(admin)
            .dkim(
                config.dkim().stream()
                    .map(
                        entry ->
                            new DkimConfig(
                                entry.domain(),
                                entry.selector(),
                                base.resolve(entry.keyFile()).normalize(),
                                entry.headers()))
                    .toList())
            .mailbox(
                new MailboxConfig(
                    base.resolve(config.mailbox().dir()).normalize(),
                    config.mailbox().pop3Autologout()))
            .api(resolvedApi)
            .cluster(config.cluster().resolvePaths(base))
            .build();
    return NotificationsBinder.resolvePaths(resolved, base);
  }

  /**
   * Parses and validates YAML text; {@code sourceName} labels the problems (usually the file name).
   */
  public static VireoConfig parse(String yaml, String sourceName) throws ConfigException {
    Optional<Node> root = YamlComposer.compose(yaml, sourceName);
    LoadContext context = new LoadContext();
    VireoConfig config = bind(YamlSection.root(context, root.orElse(null)), defaults());
    context.reportUnknownKeys();
    if (context.hasProblems()) {
      throw new ConfigException(sourceName, context.problems());
    }
    return config;
  }

  /** The configuration an empty vireo.yaml gives: a loopback-only relay for local development. */
  public static VireoConfig defaults() {
    return new VireoConfig(
        "vireo.local",
        new ListenConfig(List.of(new HostPort("127.0.0.1", 2525)), new HostPort("127.0.0.1", 8425)),
        new SpoolConfig(Path.of("data/spool"), SyncPolicy.GROUP),
        new LimitsConfig(
            50L * 1024 * 1024,
            1000,
            10_000,
            1000,
            Duration.ofMinutes(5),
            Duration.ofMinutes(5),
            10,
            NulPolicy.REJECT,
            SenderLimits.DEFAULTS),
        new RelayConfig(List.of(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128")), List.of()),
        new DeliveryConfig(
            25,
            new DnsConfig(List.of()),
            List.of(),
            new RetryConfig(DEFAULT_RETRY_SCHEDULE, Duration.ofDays(5))));
  }

  private static VireoConfig bind(YamlSection root, VireoConfig d) {
    String hostname = root.get("hostname", ValueType.HOSTNAME, d.hostname());
    TlsConfig tls = ListenBinder.tls(root.section("tls"), d.tls());
    AdminConfig admin = ListenBinder.admin(root.section("admin"), d.admin());
    ListenConfig listen =
        ListenBinder.listen(root.section("listen"), d.listen(), tls.enabled(), admin);
    SpoolConfig spool = bindSpool(root.section("spool"), d.spool());
    LimitsConfig limits = ClientPolicyBinder.limits(root.section("limits"), d.limits());
    RelayConfig relay = ClientPolicyBinder.relay(root.section("relay"), d.relay());
    DeliveryConfig delivery = DeliveryBinder.delivery(root.section("delivery"), d.delivery());
    AuthConfig auth = ClientPolicyBinder.auth(root.section("auth"), d.auth());
    ClusterConfig cluster = ClusterBinder.cluster(root.section("cluster"), d.cluster());
    List<DkimConfig> dkim = new ArrayList<>();
    for (YamlSection entry : root.sectionList("dkim")) {
      bindDkim(entry, dkim).ifPresent(dkim::add);
    }
    ShutdownConfig shutdown = bindShutdown(root.section("shutdown"), d.shutdown());
    LogConfig log = bindLog(root.section("log"), d.log());
    EventsConfig events = NotificationsBinder.events(root.section("events"), d.events());
    List<WebhookConfig> webhooks = NotificationsBinder.webhooks(root);
    SuppressionConfig suppression =
        NotificationsBinder.suppression(root.section("suppression"), d.suppression());
    LocalConfig local = LocalMailBinder.local(root.section("local"), d.local(), relay);
    MailboxConfig mailbox = LocalMailBinder.mailbox(root.section("mailbox"), d.mailbox());
    ApiConfig api = bindApi(root.section("api"), d.api(), listen.http().isPresent());
    return root.build(
        () ->
            d.toBuilder()
                .hostname(hostname)
                .listen(listen)
                .spool(spool)
                .limits(limits)
                .relay(relay)
                .delivery(delivery)
                .tls(tls)
                .auth(auth)
                .admin(admin)
                .cluster(cluster)
                .dkim(dkim)
                .shutdown(shutdown)
                .log(log)
                .events(events)
                .webhooks(webhooks)
                .suppression(suppression)
                .local(local)
                .mailbox(mailbox)
                .api(api)
                .build(),
        d);
  }

  private static SpoolConfig bindSpool(YamlSection s, SpoolConfig d) {
    Path dir = s.get("dir", ValueType.PATH, d.dir());
    SyncPolicy sync = s.get("sync", ValueType.SYNC_POLICY, d.sync());
    long minFreeSpace = s.get("min-free-space", ValueType.SIZE, d.minFreeSpace());
    Duration rollCycle = s.get("roll-cycle", ValueType.DURATION, d.rollCycle());
    if (!SpoolConfig.ROLL_CYCLES.contains(rollCycle)) {
      s.problem("roll-cycle", "must be one of 5m, 10m, 20m, 30m, 1h, 2h, 4h, 6h, 1d");
      rollCycle = d.rollCycle();
    }
    long contentCache = s.get("content-cache", ValueType.SIZE_OR_OFF, d.contentCache());
    Duration cycle = rollCycle;
    return s.build(() -> new SpoolConfig(dir, sync, minFreeSpace, cycle, contentCache), d);
  }

  private static ApiConfig bindApi(YamlSection s, ApiConfig d, boolean httpListens) {
    Optional<Path> keysFile = s.get("keys-file", ValueType.OPTIONAL_PATH, d.keysFile());
    if (httpListens && keysFile.isEmpty()) {
      // Every API request must carry a key: without a keys file none could.
      s.problem("keys-file", "listen.http is set: the API needs a keys file (vireo apikey create)");
    }
    Rate rate = s.get("rate", ValueType.RATE, d.rate());
    long maxBodySize = s.get("max-body-size", ValueType.SIZE, d.maxBodySize());
    Path dir = s.get("dir", ValueType.PATH, d.dir());
    Duration window = s.get("idempotency-window", ValueType.DURATION, d.idempotencyWindow());
    return s.build(() -> new ApiConfig(keysFile, rate, maxBodySize, dir, window), d);
  }

  /** One {@code dkim} entry; domain, selector and key-file are required, one entry per domain. */
  private static Optional<DkimConfig> bindDkim(YamlSection s, List<DkimConfig> earlier) {
    if (!s.isMapping()) {
      return Optional.empty();
    }
    String domain = s.require("domain", ValueType.DOMAIN);
    String selector = s.require("selector", ValueType.HOSTNAME);
    Path keyFile = s.require("key-file", ValueType.PATH);
    List<String> headers =
        s.list("headers", ValueType.HEADER_NAME, DkimConfig.DEFAULT_HEADERS, false);
    if (domain == null || selector == null || keyFile == null) {
      return Optional.empty();
    }
    if (earlier.stream().anyMatch(other -> other.domain().equalsIgnoreCase(domain))) {
      s.problem("domain", domain + " already has a dkim entry; give each domain one key");
      return Optional.empty();
    }
    if (headers.stream().noneMatch("from"::equalsIgnoreCase)) {
      s.problem("headers", "the signed headers must include From (RFC 6376 section 5.4)");
      return Optional.empty();
    }
    return Optional.ofNullable(
        s.build(() -> new DkimConfig(domain, selector, keyFile, headers), null));
  }

  private static ShutdownConfig bindShutdown(YamlSection s, ShutdownConfig d) {
    Duration grace = s.get("grace", ValueType.DURATION, d.grace());
    return s.build(() -> new ShutdownConfig(grace), d);
  }

  private static LogConfig bindLog(YamlSection s, LogConfig d) {
    String level = s.get("level", ValueType.LOG_LEVEL, d.level());
    String format = s.get("format", ValueType.LOG_FORMAT, d.format());
    return s.build(() -> new LogConfig(level, format), d);
  }
}
