package io.vireo.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.ScannerImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads vireo.yaml into a {@link VireoConfig}. Missing keys take their defaults ({@link
 * #defaults()}); unknown keys, wrong types and invalid values are all collected and thrown together
 * as one {@link ConfigException} whose lines name the file, line, column and key.
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
   * spool.dir}, {@code admin.token-file}) resolve against the file's directory, so the relay and
   * {@code vireo queue} find the same spool from any working directory.
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
            .build();
    return NotificationsBinder.resolvePaths(resolved, base);
  }

  /**
   * Parses and validates YAML text; {@code sourceName} labels the problems (usually the file name).
   */
  public static VireoConfig parse(String yaml, String sourceName) throws ConfigException {
    Optional<Node> root = compose(yaml, sourceName);
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

  private static Optional<Node> compose(String yaml, String sourceName) throws ConfigException {
    LoadSettings settings =
        LoadSettings.builder()
            .setLabel(sourceName)
            .setSchema(new CoreSchema())
            .setUseMarks(true)
            // A non-scalar key would otherwise fail without a position; YamlSection reports it
            // with its line ("keys must be plain names").
            .setAllowNonScalarKeys(true)
            .build();
    try {
      return new Compose(settings).composeString(yaml);
    } catch (MarkedYamlEngineException e) {
      Optional<Mark> mark =
          e.getProblemMark().isPresent() ? e.getProblemMark() : e.getContextMark();
      String problem =
          Stream.of(e.getContext(), e.getProblem())
              .filter(part -> part != null && !part.isBlank())
              .collect(Collectors.joining("; "));
      int line = mark.map(m -> m.getLine() + 1).orElse(0);
      int column = mark.map(m -> m.getColumn() + 1).orElse(0);
      throw new ConfigException(
          sourceName, List.of(new ConfigProblem("", line, column, "invalid YAML: " + problem)));
    } catch (ReaderException e) {
      // The character check runs before any mark exists; its position is a code point index.
      int[] at = lineAndColumn(yaml, e.getPosition());
      throw new ConfigException(
          sourceName,
          List.of(
              new ConfigProblem(
                  "",
                  at[0],
                  at[1],
                  "invalid YAML: character U+%04X is not allowed (YAML allows printable characters, tab and line breaks)"
                      .formatted(e.getCodePoint()))));
    } catch (YamlEngineException e) {
      // Some errors come without a position: point at the last token (or event) that still read.
      Optional<Mark> near = lastReadableMark(yaml, settings);
      throw new ConfigException(
          sourceName,
          List.of(
              new ConfigProblem(
                  "",
                  near.map(m -> m.getLine() + 1).orElse(0),
                  near.map(m -> m.getColumn() + 1).orElse(0),
                  "invalid YAML: " + e.getMessage() + (near.isPresent() ? " (just after here)" : ""))));
    }
  }

  /**
   * The end of the last token the YAML scanner reads before it fails, or of the last event the parser
   * reads before it fails; empty when both read to the end. Only called for an invalid file.
   */
  private static Optional<Mark> lastReadableMark(String yaml, LoadSettings settings) {
    Optional<Mark> last = Optional.empty();
    try {
      ScannerImpl scanner = new ScannerImpl(settings, new StreamReader(settings, yaml));
      while (scanner.hasNext()) {
        last = scanner.next().getEndMark();
      }
    } catch (YamlEngineException e) {
      return last;
    }
    try {
      ParserImpl parser = new ParserImpl(settings, new StreamReader(settings, yaml));
      while (parser.hasNext()) {
        last = parser.next().getEndMark();
      }
    } catch (YamlEngineException e) {
      return last;
    }
    return Optional.empty();
  }

  /** 1-based line and column of the code point at {@code codePointIndex}; CRLF, CR and LF end lines. */
  private static int[] lineAndColumn(String text, int codePointIndex) {
    int line = 1;
    int column = 1;
    int i = 0;
    for (int n = 0; n < codePointIndex && i < text.length(); n++) {
      int c = text.codePointAt(i);
      i += Character.charCount(c);
      boolean crlf = c == '\r' && i < text.length() && text.charAt(i) == '\n';
      if (c == '\n' || (c == '\r' && !crlf)) {
        line++;
        column = 1;
      } else if (!crlf) {
        column++;
      }
    }
    return new int[] {line, column};
  }

  private static VireoConfig bind(YamlSection root, VireoConfig d) {
    String hostname = root.get("hostname", ValueType.HOSTNAME, d.hostname());
    TlsConfig tls = bindTls(root.section("tls"), d.tls());
    AdminConfig admin = bindAdmin(root.section("admin"), d.admin());
    ListenConfig listen = bindListen(root.section("listen"), d.listen(), tls.enabled(), admin);
    SpoolConfig spool = bindSpool(root.section("spool"), d.spool());
    LimitsConfig limits = bindLimits(root.section("limits"), d.limits());
    RelayConfig relay = bindRelay(root.section("relay"), d.relay());
    DeliveryConfig delivery = bindDelivery(root.section("delivery"), d.delivery());
    AuthConfig auth = bindAuth(root.section("auth"), d.auth());
    ClusterConfig cluster = bindCluster(root.section("cluster"), d.cluster());
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
    LocalConfig local = bindLocal(root.section("local"), d.local(), relay);
    MailboxConfig mailbox = bindMailbox(root.section("mailbox"), d.mailbox());
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

  /**
   * {@code local}: domains, aliases (address to users), catch-all (domain to user) and quota. A
   * domain may not be both local and in {@code relay.domains}; aliases and catch-alls must belong
   * to a local domain.
   */
  private static LocalConfig bindLocal(YamlSection s, LocalConfig d, RelayConfig relay) {
    List<String> domains = s.list("domains", ValueType.DOMAIN, d.domains(), false);
    List<String> lowered =
        domains.stream().map(x -> x.toLowerCase(java.util.Locale.ROOT)).toList();
    for (String domain : lowered) {
      if (relay.domains().contains(domain)) {
        s.problem(
            "domains",
            domain + " is also in relay.domains: a domain is either delivered here or relayed");
        return d;
      }
    }
    Map<String, List<String>> aliases = new java.util.LinkedHashMap<>();
    YamlSection aliasSection = s.section("aliases");
    for (String key : aliasSection.dataKeys()) {
      String address = parseOrReport(aliasSection, key, ValueType.ADDRESS);
      List<String> users = aliasSection.list(key, ValueType.MAILBOX_USER, null, true);
      if (address == null || users == null) {
        continue;
      }
      if (users.isEmpty()) {
        aliasSection.problem(key, "an alias needs at least one user");
      } else if (!lowered.contains(address.substring(address.lastIndexOf('@') + 1))) {
        aliasSection.problem(key, address + " is not an address of a domain in local.domains");
      } else {
        aliases.put(address, users);
      }
    }
    Map<String, String> catchAll = new java.util.LinkedHashMap<>();
    YamlSection catchAllSection = s.section("catch-all");
    for (String key : catchAllSection.dataKeys()) {
      String domain = parseOrReport(catchAllSection, key, ValueType.DOMAIN);
      String user = catchAllSection.require(key, ValueType.MAILBOX_USER);
      if (domain == null || user == null) {
        continue;
      }
      if (!lowered.contains(domain.toLowerCase(java.util.Locale.ROOT))) {
        catchAllSection.problem(key, domain + " is not in local.domains");
      } else {
        catchAll.put(domain, user);
      }
    }
    long quota = s.get("quota", ValueType.SIZE_OR_OFF, d.quota());
    return s.build(() -> new LocalConfig(domains, aliases, catchAll, quota), d);
  }

  /** A key that is itself a value (an alias address, a catch-all domain), checked as one. */
  private static <T> T parseOrReport(YamlSection s, String key, ValueType<T> type) {
    try {
      return type.parse(key);
    } catch (IllegalArgumentException e) {
      s.problem(key, "expected " + type.expected() + " as the key, got \"" + key + "\"");
      return null;
    }
  }

  private static MailboxConfig bindMailbox(YamlSection s, MailboxConfig d) {
    Path dir = s.get("dir", ValueType.PATH, d.dir());
    Duration autologout = s.get("pop3-autologout", ValueType.DURATION, d.pop3Autologout());
    if (autologout.compareTo(MailboxConfig.MIN_POP3_AUTOLOGOUT) < 0) {
      s.problem("pop3-autologout", "must be at least 10m (RFC 1939 section 3)");
      autologout = d.pop3Autologout();
    }
    Duration pop3Autologout = autologout;
    return s.build(() -> new MailboxConfig(dir, pop3Autologout), d);
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

  private static ClusterConfig bindCluster(YamlSection s, ClusterConfig d) {
    Optional<RedisEndpoint> redis = s.get("redis", ValueType.REDIS_ENDPOINT, d.redis());
    return s.build(() -> new ClusterConfig(redis), d);
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

  private static AdminConfig bindAdmin(YamlSection s, AdminConfig d) {
    Path tokenFile = s.get("token-file", ValueType.PATH, d.tokenFile());
    return s.build(() -> new AdminConfig(tokenFile), d);
  }

  private static ListenConfig bindListen(
      YamlSection s, ListenConfig d, boolean tlsEnabled, AdminConfig adminConfig) {
    List<HostPort> smtp = s.list("smtp", ValueType.LISTEN_ADDRESS, d.smtp(), true);
    if (smtp.isEmpty()) {
      s.problem("smtp", "at least one SMTP listen address is required");
      smtp = d.smtp();
    }
    List<HostPort> smtps = s.list("smtps", ValueType.LISTEN_ADDRESS, d.smtps(), true);
    if (!smtps.isEmpty() && !tlsEnabled) {
      s.problem("smtps", "implicit TLS needs a certificate: set tls.cert-file and tls.key-file");
      smtps = d.smtps();
    }
    List<HostPort> pop3 = s.list("pop3", ValueType.LISTEN_ADDRESS, d.pop3(), true);
    List<HostPort> pop3s = implicitTls(s, "pop3s", d.pop3s(), tlsEnabled);
    List<HostPort> imap = s.list("imap", ValueType.LISTEN_ADDRESS, d.imap(), true);
    List<HostPort> imaps = implicitTls(s, "imaps", d.imaps(), tlsEnabled);
    HostPort admin = s.get("admin", ValueType.LISTEN_ADDRESS, d.admin());
    Optional<HostPort> http = s.get("http", ValueType.OPTIONAL_LISTEN_ADDRESS, d.http());
    reportDuplicateAddresses(
        s,
        List.of(
            Map.entry("smtp", smtp),
            Map.entry("smtps", smtps),
            Map.entry("pop3", pop3),
            Map.entry("pop3s", pop3s),
            Map.entry("imap", imap),
            Map.entry("imaps", imaps),
            Map.entry("admin", List.of(admin)),
            Map.entry("http", http.map(List::of).orElse(List.of()))));
    if (adminConfig.token().isEmpty() && !isLoopback(admin)) {
      // Metrics and (later) queue control must never be open to the network by accident.
      s.problem(
          "admin",
          admin
              + " is not a loopback address: set admin.token-file so admin requests need a bearer"
              + " token");
    }
    // Only these peers may name another client address; everything else is taken at its word.
    List<Cidr> proxyFrom = s.list("proxy-from", ValueType.NETWORK, d.proxyFrom(), false);
    List<HostPort> smtpAddresses = smtp;
    List<HostPort> smtpsAddresses = smtps;
    return s.build(
        () ->
            new ListenConfig(
                smtpAddresses, smtpsAddresses, admin, proxyFrom, http, pop3, pop3s, imap, imaps),
        d);
  }

  /** An implicit-TLS listener list ({@code pop3s}, {@code imaps}): it needs a certificate. */
  private static List<HostPort> implicitTls(
      YamlSection s, String key, List<HostPort> d, boolean tlsEnabled) {
    List<HostPort> addresses = s.list(key, ValueType.LISTEN_ADDRESS, d, true);
    if (!addresses.isEmpty() && !tlsEnabled) {
      s.problem(key, "implicit TLS needs a certificate: set tls.cert-file and tls.key-file");
      return d;
    }
    return addresses;
  }

  /** Listen addresses are IP literals (checked as they are read), so this resolves nothing. */
  static boolean isLoopback(HostPort address) {
    return IpLiterals.parse(address.host()).isLoopbackAddress();
  }

  /** Two listeners on one fixed address would fail at bind time; say so while the file is open. */
  private static void reportDuplicateAddresses(
      YamlSection s, List<Map.Entry<String, List<HostPort>>> listeners) {
    Map<HostPort, String> seen = new HashMap<>();
    for (Map.Entry<String, List<HostPort>> listener : listeners) {
      String key = listener.getKey();
      for (HostPort address : listener.getValue()) {
        String previous = address.port() == 0 ? null : seen.putIfAbsent(address, key);
        if (previous != null) {
          s.problem(key, address + " is already used by listen." + previous);
        }
      }
    }
  }

  private static TlsConfig bindTls(YamlSection s, TlsConfig d) {
    Optional<Path> certFile = s.get("cert-file", ValueType.OPTIONAL_PATH, d.certFile());
    Optional<Path> keyFile = s.get("key-file", ValueType.OPTIONAL_PATH, d.keyFile());
    if (certFile.isPresent() != keyFile.isPresent()) {
      s.problem(
          certFile.isPresent() ? "key-file" : "cert-file",
          "tls.cert-file and tls.key-file go together: set both, or neither for no TLS");
      return d;
    }
    return s.build(() -> new TlsConfig(certFile, keyFile), d);
  }

  private static AuthConfig bindAuth(YamlSection s, AuthConfig d) {
    Optional<Path> usersFile = s.get("users-file", ValueType.OPTIONAL_PATH, d.usersFile());
    boolean requireTls = s.get("require-tls", ValueType.BOOLEAN, d.requireTls());
    int throttleAfter = s.get("throttle-after", ValueType.COUNT, d.throttleAfter());
    Duration throttleDelay = s.get("throttle-delay", ValueType.DURATION, d.throttleDelay());
    int lockoutAfter = s.get("lockout-after", ValueType.COUNT, d.lockoutAfter());
    Duration lockoutDuration = s.get("lockout-duration", ValueType.DURATION, d.lockoutDuration());
    Duration cacheTtl = s.get("cache-ttl", ValueType.DURATION_OR_OFF, d.cacheTtl());
    if (lockoutAfter < throttleAfter) {
      s.problem(
          s.has("lockout-after") ? "lockout-after" : "throttle-after",
          "lockout-after (" + lockoutAfter + ") must be at least throttle-after ("
              + throttleAfter + ")");
      return d;
    }
    return s.build(
        () ->
            new AuthConfig(
                usersFile,
                requireTls,
                throttleAfter,
                throttleDelay,
                lockoutAfter,
                lockoutDuration,
                cacheTtl),
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

  private static LimitsConfig bindLimits(YamlSection s, LimitsConfig d) {
    long maxMessageSize = s.get("max-message-size", ValueType.SIZE, d.maxMessageSize());
    int maxRecipients = s.get("max-recipients", ValueType.COUNT, d.maxRecipients());
    int maxConnections = s.get("max-connections", ValueType.COUNT, d.maxConnections());
    int maxConnectionsPerIp =
        s.get("max-connections-per-ip", ValueType.COUNT, d.maxConnectionsPerIp());
    Duration commandTimeout = s.get("command-timeout", ValueType.DURATION, d.commandTimeout());
    Duration dataTimeout = s.get("data-timeout", ValueType.DURATION, d.dataTimeout());
    int maxErrors = s.get("max-errors", ValueType.COUNT, d.maxErrors());
    NulPolicy nul = s.get("nul", ValueType.NUL_POLICY, d.nul());
    SenderLimits senders = bindSenderLimits(s, d.senders());
    return s.build(
        () ->
            new LimitsConfig(
                maxMessageSize,
                maxRecipients,
                maxConnections,
                maxConnectionsPerIp,
                commandTimeout,
                dataTimeout,
                maxErrors,
                nul,
                senders),
        d);
  }

  /** The per-user and per-minute keys, which sit in {@code limits} beside the others. */
  private static SenderLimits bindSenderLimits(YamlSection s, SenderLimits d) {
    int perUser = s.get("max-connections-per-user", ValueType.COUNT, d.maxConnectionsPerUser());
    OptionalInt messagesPerIp =
        s.get("messages-per-minute-per-ip", ValueType.PER_MINUTE, d.messagesPerMinutePerIp());
    OptionalInt recipientsPerIp =
        s.get("recipients-per-minute-per-ip", ValueType.PER_MINUTE, d.recipientsPerMinutePerIp());
    OptionalInt messagesPerUser =
        s.get("messages-per-minute-per-user", ValueType.PER_MINUTE, d.messagesPerMinutePerUser());
    OptionalInt recipientsPerUser =
        s.get(
            "recipients-per-minute-per-user",
            ValueType.PER_MINUTE,
            d.recipientsPerMinutePerUser());
    return s.build(
        () ->
            new SenderLimits(
                perUser, messagesPerIp, recipientsPerIp, messagesPerUser, recipientsPerUser),
        d);
  }

  private static RelayConfig bindRelay(YamlSection s, RelayConfig d) {
    List<Cidr> networks = s.list("allow-networks", ValueType.NETWORK, d.allowNetworks(), false);
    List<String> domains = s.list("domains", ValueType.DOMAIN, d.domains(), false);
    return s.build(() -> new RelayConfig(networks, domains), d);
  }

  private static DeliveryConfig bindDelivery(YamlSection s, DeliveryConfig d) {
    int port = s.get("port", ValueType.REMOTE_PORT, d.port());
    String heloName = s.get("helo-name", ValueType.HELO_NAME, d.heloName());
    int maxConnections = s.get("max-connections", ValueType.COUNT, d.maxConnections());
    TlsMode tls = s.get("tls", ValueType.TLS_MODE, d.tls());
    DnsConfig dns = bindDns(s.section("dns"), d.dns());
    List<RouteConfig> routes = new ArrayList<>();
    for (YamlSection route : s.sectionList("routes")) {
      bindRoute(route).ifPresent(routes::add);
    }
    RetryConfig retry = bindRetry(s.section("retry"), d.retry());
    Duration delayWarning = s.get("delay-warning", ValueType.DURATION_OR_OFF, d.delayWarning());
    DestinationLimits defaults = bindDestinationLimits(s.section("defaults"), d.defaults());
    List<ShapingRule> shaping = new ArrayList<>();
    for (YamlSection rule : s.sectionList("shaping")) {
      bindShapingRule(rule, defaults).ifPresent(shaping::add);
    }
    BackoffConfig backoff = bindBackoff(s.section("backoff"), d.backoff());
    EngineTuning tuning = bindTuning(s.section("tuning"), d.tuning());
    return s.build(
        () ->
            new DeliveryConfig(
                port,
                dns,
                routes,
                retry,
                heloName,
                maxConnections,
                tls,
                delayWarning,
                defaults,
                shaping,
                backoff,
                tuning),
        d);
  }

  private static EngineTuning bindTuning(YamlSection s, EngineTuning d) {
    Duration stopGrace = s.get("stop-grace", ValueType.DURATION, d.stopGrace());
    int lookups = s.get("max-concurrent-lookups", ValueType.COUNT, d.maxConcurrentLookups());
    int recipients =
        s.get("max-recipients-per-transaction", ValueType.COUNT, d.maxRecipientsPerTransaction());
    return s.build(() -> new EngineTuning(stopGrace, lookups, recipients), d);
  }

  private static DnsConfig bindDns(YamlSection s, DnsConfig d) {
    List<HostPort> servers = s.list("servers", ValueType.DNS_SERVER, d.servers(), false);
    Duration timeout = s.get("timeout", ValueType.DURATION, d.timeout());
    return s.build(() -> new DnsConfig(servers, timeout), d);
  }

  private static Optional<RouteConfig> bindRoute(YamlSection s) {
    if (!s.isMapping()) {
      return Optional.empty();
    }
    List<String> domains = requiredPatterns(s, "domains", "a route");
    Optional<HostPort> via = s.require("via", ValueType.ROUTE_VIA);
    if (via != null && via.isEmpty()) {
      // via: capture keeps the mail in one local mailbox; nothing about a next hop applies.
      String mailbox = s.require("mailbox", ValueType.MAILBOX_USER);
      for (String key : List.of("tls", "auth")) {
        if (s.has(key)) {
          s.problem(key, "a capture route sends nothing, so it takes no " + key);
        }
      }
      if (domains == null || mailbox == null) {
        return Optional.empty();
      }
      return Optional.ofNullable(s.build(() -> RouteConfig.capture(domains, mailbox), null));
    }
    if (s.has("mailbox")) {
      s.problem("mailbox", "only a capture route (via: capture) names a mailbox");
    }
    TlsMode tls = s.get("tls", ValueType.TLS_MODE, TlsMode.OPPORTUNISTIC);
    Optional<RouteAuth> auth = s.has("auth") ? bindAuth(s.section("auth")) : Optional.empty();
    if (domains == null || via == null || (s.has("auth") && auth.isEmpty())) {
      return Optional.empty();
    }
    return Optional.ofNullable(
        s.build(() -> new RouteConfig(domains, via.get(), tls, auth.orElse(null)), null));
  }

  /** Both fields are required: a route with half its credentials is a mistake, not a default. */
  private static Optional<RouteAuth> bindAuth(YamlSection s) {
    if (!s.isMapping()) {
      return Optional.empty();
    }
    String username = s.require("username", ValueType.AUTH_USERNAME);
    String password = s.require("password", ValueType.AUTH_PASSWORD);
    if (username == null || password == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(s.build(() -> new RouteAuth(username, password), null));
  }

  /**
   * The non-empty list of domain patterns under {@code key}, or null when it is missing, empty or
   * invalid (all reported).
   */
  private static List<String> requiredPatterns(YamlSection s, String key, String owner) {
    if (!s.has(key)) {
      s.problem(
          key, "required; expected a list (each " + ValueType.DOMAIN_PATTERN.expected() + ")");
    }
    // null: absent or invalid, both already reported.
    List<String> patterns = s.list(key, ValueType.DOMAIN_PATTERN, null, false);
    if (patterns != null && patterns.isEmpty()) {
      s.problem(key, owner + " needs at least one domain pattern");
      return null;
    }
    return patterns;
  }

  /** {@code delivery.defaults}, and each shaping rule with the defaults as its fallbacks. */
  private static DestinationLimits bindDestinationLimits(YamlSection s, DestinationLimits d) {
    int connections = s.get("connections", ValueType.COUNT, d.connections());
    Rate rate = s.get("rate", ValueType.RATE, d.rate());
    int messagesPerConnection =
        s.get("messages-per-connection", ValueType.COUNT, d.messagesPerConnection());
    Duration idleTimeout = s.get("idle-timeout", ValueType.DURATION, d.idleTimeout());
    return s.build(
        () -> new DestinationLimits(connections, rate, messagesPerConnection, idleTimeout), d);
  }

  private static Optional<ShapingRule> bindShapingRule(YamlSection s, DestinationLimits defaults) {
    if (!s.isMapping()) {
      return Optional.empty();
    }
    List<String> match = requiredPatterns(s, "match", "a shaping rule");
    DestinationLimits limits = bindDestinationLimits(s, defaults);
    if (match == null) {
      return Optional.empty();
    }
    return Optional.ofNullable(s.build(() -> new ShapingRule(match, limits), null));
  }

  private static BackoffConfig bindBackoff(YamlSection s, BackoffConfig d) {
    Duration initial = s.get("initial", ValueType.DURATION, d.initial());
    Duration max = s.get("max", ValueType.DURATION, d.max());
    if (max.compareTo(initial) < 0) {
      // Point at the key the operator wrote: with only initial written, the default max is the
      // other half of the conflict.
      s.problem(
          s.has("max") ? "max" : "initial",
          "backoff max ("
              + Durations.format(max)
              + ") must be at least backoff initial ("
              + Durations.format(initial)
              + ")");
      return d;
    }
    return s.build(() -> new BackoffConfig(initial, max), d);
  }

  private static RetryConfig bindRetry(YamlSection s, RetryConfig d) {
    List<Duration> schedule = s.list("schedule", ValueType.DURATION, d.schedule(), false);
    if (schedule.isEmpty()) {
      s.problem("schedule", "the retry schedule needs at least one delay, e.g. [1m, 5m, 1h]");
      schedule = d.schedule();
    }
    Duration maxAge = s.get("max-age", ValueType.DURATION, d.maxAge());
    List<Duration> delays = schedule;
    return s.build(() -> new RetryConfig(delays, maxAge), d);
  }
}
