package io.vireo.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {

  private static VireoConfig parse(String yaml) throws ConfigException {
    return ConfigLoader.parse(yaml, "vireo.yaml");
  }

  private static ConfigException failure(String yaml) {
    try {
      parse(yaml);
    } catch (ConfigException e) {
      return e;
    }
    throw new AssertionError("expected a ConfigException for:\n" + yaml);
  }

  @Test
  void defaultsHaveTheDocumentedValues() {
    VireoConfig d = ConfigLoader.defaults();
    assertThat(d.hostname()).isEqualTo("vireo.local");
    assertThat(d.listen().smtp()).containsExactly(new HostPort("127.0.0.1", 2525));
    assertThat(d.listen().admin()).isEqualTo(new HostPort("127.0.0.1", 8425));
    assertThat(d.spool().dir()).isEqualTo(Path.of("data/spool"));
    assertThat(d.spool().sync()).isEqualTo(SyncPolicy.GROUP);
    assertThat(d.limits().maxMessageSize()).isEqualTo(50L * 1024 * 1024);
    assertThat(d.limits().maxRecipients()).isEqualTo(1000);
    assertThat(d.limits().maxConnections()).isEqualTo(10_000);
    assertThat(d.limits().maxConnectionsPerIp()).isEqualTo(1000);
    assertThat(d.limits().commandTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(d.limits().dataTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(d.limits().maxErrors()).isEqualTo(10);
    assertThat(d.relay().allowNetworks())
        .containsExactly(Cidr.parse("127.0.0.0/8"), Cidr.parse("::1/128"));
    assertThat(d.relay().domains()).isEmpty();
    assertThat(d.delivery().port()).isEqualTo(25);
    assertThat(d.delivery().dns().servers()).isEmpty();
    assertThat(d.delivery().routes()).isEmpty();
    assertThat(d.delivery().retry().schedule())
        .containsExactly(
            Duration.ofMinutes(1),
            Duration.ofMinutes(5),
            Duration.ofMinutes(15),
            Duration.ofMinutes(30),
            Duration.ofHours(1),
            Duration.ofHours(2),
            Duration.ofHours(4));
    assertThat(d.delivery().retry().maxAge()).isEqualTo(Duration.ofDays(5));
    assertThat(d.delivery().heloName()).isEmpty();
    assertThat(d.delivery().heloNameOr(d.hostname())).isEqualTo("vireo.local");
    assertThat(d.delivery().maxConnections()).isEqualTo(500);
    assertThat(d.delivery().tls()).isEqualTo(TlsMode.OPPORTUNISTIC);
    assertThat(d.delivery().dns().timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(d.delivery().delayWarning()).isEqualTo(Duration.ofHours(4));
    assertThat(d.delivery().defaults())
        .isEqualTo(new DestinationLimits(20, Rate.unlimited(), 1000, Duration.ofSeconds(30)));
    assertThat(d.delivery().shaping()).isEmpty();
    assertThat(d.delivery().backoff())
        .isEqualTo(new BackoffConfig(Duration.ofSeconds(30), Duration.ofMinutes(10)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "# only a comment\n",
        "{}",
        "listen:\nspool:\nlimits: ~\nrelay:\ndelivery:\n  dns:\n"
      })
  void emptyFilesAndEmptySectionsGiveDefaults(String yaml) throws ConfigException {
    assertThat(parse(yaml)).isEqualTo(ConfigLoader.defaults());
  }

  @Test
  void readsEveryKeyOfAFullFile() throws ConfigException {
    VireoConfig c =
        parse(
            """
            hostname: mx1.Example.com
            listen:
              smtp: ["0.0.0.0:25", "[::]:25"]
              admin: "[::1]:9000"
            spool:
              dir: /var/spool/vireo
              sync: ALWAYS
            limits:
              max-message-size: 10MB
              max-recipients: 100
              max-connections: 500
              max-connections-per-ip: 20
              command-timeout: 10m
              data-timeout: 600s
              max-errors: 3
              nul: Strip
              max-connections-per-user: 4
              messages-per-minute-per-ip: 60
              recipients-per-minute-per-ip: Unlimited
              messages-per-minute-per-user: 10
              recipients-per-minute-per-user: 100
            relay:
              allow-networks: [10.0.0.0/8, "fd00::/8"]
              domains: [Example.COM, backup.example.org]
            delivery:
              port: 2525
              helo-name: out.example.net
              max-connections: 64
              tls: Required
              dns: { servers: ["127.0.0.1:5353", "::1", "[::1]:5354"], timeout: 2s }
              routes:
                - { domains: ["*.test", "Exact.example"], via: "127.0.0.2:2526" }
                - domains: ["*"]
                  via: smarthost.example.net:587
                  tls: verify
                  auth: { username: relay, password: " pa:ss " }
              retry: { schedule: [30s, 2m], max-age: 2d }
              delay-warning: 1h
              defaults:
                connections: 4
                rate: 50/s
                messages-per-connection: 10
                idle-timeout: 5s
              shaping:
                - { match: ["*.bigmail.test", mx.provider.test], connections: 2, rate: 10/m }
                - match: ["*"]
                  messages-per-connection: 1
                  idle-timeout: 1s
              backoff: { initial: 1m, max: 1h }
            """);
    assertThat(c.hostname()).isEqualTo("mx1.Example.com");
    assertThat(c.listen().smtp())
        .containsExactly(new HostPort("0.0.0.0", 25), new HostPort("::", 25));
    assertThat(c.listen().admin()).isEqualTo(new HostPort("::1", 9000));
    assertThat(c.spool())
        .isEqualTo(new SpoolConfig(Path.of("/var/spool/vireo"), SyncPolicy.ALWAYS));
    assertThat(c.limits())
        .isEqualTo(
            new LimitsConfig(
                10L << 20,
                100,
                500,
                20,
                Duration.ofMinutes(10),
                Duration.ofMinutes(10),
                3,
                NulPolicy.STRIP,
                new SenderLimits(
                    4,
                    OptionalInt.of(60),
                    OptionalInt.empty(),
                    OptionalInt.of(10),
                    OptionalInt.of(100))));
    assertThat(c.relay().allowNetworks())
        .containsExactly(Cidr.parse("10.0.0.0/8"), Cidr.parse("fd00::/8"));
    assertThat(c.relay().domains()).containsExactly("example.com", "backup.example.org");
    assertThat(c.delivery().port()).isEqualTo(2525);
    assertThat(c.delivery().dns().servers())
        .containsExactly(
            new HostPort("127.0.0.1", 5353), new HostPort("::1", 53), new HostPort("::1", 5354));
    assertThat(c.delivery().routes())
        .containsExactly(
            new RouteConfig(List.of("*.test", "exact.example"), new HostPort("127.0.0.2", 2526)),
            new RouteConfig(
                List.of("*"),
                new HostPort("smarthost.example.net", 587),
                TlsMode.VERIFY,
                new RouteAuth("relay", " pa:ss ")));
    assertThat(c.delivery().retry())
        .isEqualTo(
            new RetryConfig(
                List.of(Duration.ofSeconds(30), Duration.ofMinutes(2)), Duration.ofDays(2)));
    assertThat(c.delivery().heloName()).isEqualTo("out.example.net");
    assertThat(c.delivery().maxConnections()).isEqualTo(64);
    assertThat(c.delivery().tls()).isEqualTo(TlsMode.REQUIRED);
    assertThat(c.delivery().dns().timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.delivery().delayWarning()).isEqualTo(Duration.ofHours(1));
    DestinationLimits defaults = new DestinationLimits(4, new Rate(50), 10, Duration.ofSeconds(5));
    assertThat(c.delivery().defaults()).isEqualTo(defaults);
    assertThat(c.delivery().shaping())
        .containsExactly(
            new ShapingRule(
                List.of("*.bigmail.test", "mx.provider.test"),
                new DestinationLimits(2, new Rate(10 / 60.0), 10, Duration.ofSeconds(5))),
            new ShapingRule(
                List.of("*"), new DestinationLimits(4, new Rate(50), 1, Duration.ofSeconds(1))));
    assertThat(c.delivery().backoff())
        .isEqualTo(new BackoffConfig(Duration.ofMinutes(1), Duration.ofHours(1)));
  }

  @Test
  void shapingRulesInheritWhatTheyLeaveOutFromDefaults() throws ConfigException {
    DeliveryConfig delivery =
        parse(
                """
                delivery:
                  shaping:
                    - { match: [slow.test], rate: 1/s }
                  defaults: { connections: 7 }
                """)
            .delivery();
    assertThat(delivery.shaping().getFirst().limits())
        .isEqualTo(new DestinationLimits(7, new Rate(1), 1000, Duration.ofSeconds(30)));
  }

  @ParameterizedTest
  @CsvSource({"off, PT0S", "OFF, PT0S", "0, PT0S", "0s, PT0S", "0ms, PT0S", "90m, PT1H30M"})
  void delayWarningCanBeSwitchedOff(String text, Duration expected) throws ConfigException {
    DeliveryConfig delivery = parse("delivery: { delay-warning: " + text + " }").delivery();
    assertThat(delivery.delayWarning()).isEqualTo(expected);
    assertThat(delivery.delayWarningEnabled()).isEqualTo(!expected.isZero());
  }

  @Test
  void emptyHeloNameMeansTheHostname() throws ConfigException {
    VireoConfig c = parse("hostname: relay.example\ndelivery: { helo-name: \"\" }\n");
    assertThat(c.delivery().heloName()).isEmpty();
    assertThat(c.delivery().heloNameOr(c.hostname())).isEqualTo("relay.example");
  }

  @Test
  void backoffInitialAboveTheDefaultMaxIsReportedAtInitial() {
    ConfigException e = failure("delivery:\n  backoff:\n    initial: 20m\n");
    assertThat(e.problems())
        .containsExactly(
            new ConfigProblem(
                "delivery.backoff.initial",
                3,
                14,
                "backoff max (10m) must be at least backoff initial (20m)"));
  }

  @Test
  void unknownKeysInsideShapingRulesAndAuthAreReported() {
    ConfigException e =
        failure(
            """
            delivery:
              shaping:
                - { match: [a.test], conections: 3 }
              routes:
                - domains: [a.test]
                  via: "127.0.0.2:25"
                  auth: { username: u, password: p, usrname: x }
            """);
    assertThat(e.problems())
        .extracting(ConfigProblem::key, ConfigProblem::line, ConfigProblem::message)
        .containsExactly(
            tuple("delivery.shaping[0].conections", 3, "unknown key; did you mean connections?"),
            tuple(
                "delivery.routes[0].auth.usrname",
                7,
                "unknown key; did you mean username?"));
  }

  @Test
  void routeWithBadAuthIsLeftOutAndEveryProblemReported() {
    ConfigException e =
        failure(
            """
            delivery:
              routes:
                - domains: [a.test]
                  via: "127.0.0.2:25"
                  tls: sometimes
                  auth: { username: "" }
            """);
    assertThat(e.problems())
        .extracting(ConfigProblem::key, ConfigProblem::line)
        .containsExactly(
            tuple("delivery.routes[0].tls", 5),
            tuple("delivery.routes[0].auth.password", 6),
            tuple("delivery.routes[0].auth.username", 6));
  }

  @Test
  void listenSmtpTakesASingleAddressOrAList() throws ConfigException {
    assertThat(parse("listen: { smtp: 127.0.0.2:25 }").listen().smtp())
        .containsExactly(new HostPort("127.0.0.2", 25));
    assertThat(parse("listen:\n  smtp:\n    - 127.0.0.2:25\n    - 127.0.0.3:0\n").listen().smtp())
        .containsExactly(new HostPort("127.0.0.2", 25), new HostPort("127.0.0.3", 0));
  }

  @Test
  void ipv6ListenAddressesUseBrackets() throws ConfigException {
    VireoConfig c =
        parse(
            "listen: { smtp: \"[::1]:0\", admin: \"[fe80::1:2]:8025\" }\n"
                + "admin: { token-file: /etc/vireo/admin.token }");
    assertThat(c.listen().smtp()).containsExactly(new HostPort("::1", 0));
    assertThat(c.listen().admin()).isEqualTo(new HostPort("fe80::1:2", 8025));
    assertThat(c.listen().smtp().getFirst().toString()).isEqualTo("[::1]:0");
  }

  @Test
  void errorMessageNamesFileLineColumnKeyAndWhatIsAllowed() {
    ConfigException e = failure("limits:\n  max-message-size: fifty\n");
    assertThat(e.problems())
        .containsExactly(
            new ConfigProblem(
                "limits.max-message-size",
                2,
                21,
                "expected a size such as 50MB (units B, KB, MB, GB), got \"fifty\""));
    assertThat(e.getMessage())
        .isEqualTo(
            "vireo.yaml:2:21: limits.max-message-size: expected a size such as 50MB (units B, KB,"
                + " MB, GB), got \"fifty\"");
    assertThat(e.sourceName()).isEqualTo("vireo.yaml");
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\'',
      value = {
        "hostname | 'bad_name!' | hostname | a domain name",
        "hostname | '-leading.hyphen' | hostname | a domain name",
        "listen.smtp | localhost:25 | listen.smtp | IP literal, port 0..65535",
        "listen.smtp | 127.0.0.1:70000 | listen.smtp | port out of range 0..65535",
        "listen.smtp | '\"::1:25\"' | listen.smtp | port missing (write [::1:25]:port)",
        "listen.smtp | '[]' | listen.smtp | at least one SMTP listen address",
        "listen.admin | 127.0.0.1 | listen.admin | port missing",
        "spool.sync | fast | spool.sync | one of group, always, none",
        "spool.dir | '\"\"' | spool.dir | a file system path",
        "limits.max-message-size | 0 | limits.max-message-size | must be greater than zero",
        "limits.max-message-size | 50mib | limits.max-message-size | unknown unit \"mib\"",
        "limits.max-message-size | 99999999999GB | limits.max-message-size | too large",
        "limits.max-recipients | -1 | limits.max-recipients | must be greater than zero",
        "limits.max-connections | many | limits.max-connections | a whole number greater than zero",
        "limits.max-connections-per-ip | 1.5 | limits.max-connections-per-ip | a whole number",
        "limits.command-timeout | 300 | limits.command-timeout | a unit is required",
        "limits.data-timeout | 5w | limits.data-timeout | units ms, s, m, h, d",
        "limits.max-errors | 0 | limits.max-errors | must be greater than zero",
        "limits.nul | drop | limits.nul | one of reject, strip",
        "limits.max-connections-per-user | 0 | limits.max-connections-per-user | must be greater"
            + " than zero",
        "limits.messages-per-minute-per-ip | 0 | limits.messages-per-minute-per-ip | must be"
            + " greater than zero",
        "limits.recipients-per-minute-per-user | lots | limits.recipients-per-minute-per-user | a"
            + " whole number greater than zero, or unlimited",
        "relay.allow-networks | '[10.0.0.0/33]' | relay.allow-networks[0] | prefix length must be"
            + " 0..32",
        "relay.allow-networks | '[10.0.0.1/8]' | relay.allow-networks[0] | did you mean"
            + " 10.0.0.0/8?",
        "relay.allow-networks | '[example.com/8]' | relay.allow-networks[0] | not an IP address",
        "relay.allow-networks | 10.0.0.0/8 | relay.allow-networks | expected a list (each a"
            + " network",
        "relay.domains | '[\"*.example.com\"]' | relay.domains[0] | a domain name such as"
            + " example.com",
        "delivery.port | 0 | delivery.port | a port 1..65535",
        "delivery.port | 65536 | delivery.port | a port 1..65535",
        "delivery.dns.servers | '[dns.example.com]' | delivery.dns.servers[0] | must be an IP"
            + " address",
        "delivery.dns.servers | '[\"127.0.0.1:0\"]' | delivery.dns.servers[0] | port must be"
            + " 1..65535",
        "delivery.routes | '[{domains: [\"a.*\"], via: \"127.0.0.2:25\"}]' |"
            + " delivery.routes[0].domains[0] | *.example.com",
        "delivery.routes | '[{domains: [\"*.test\"]}]' | delivery.routes[0].via | required",
        "delivery.routes | '[{via: \"127.0.0.2:25\"}]' | delivery.routes[0].domains | required",
        "delivery.routes | '[{domains: [], via: \"127.0.0.2:25\"}]' | delivery.routes[0].domains |"
            + " at least one",
        "delivery.routes | '[{domains: [x.test], via: \"127.0.0.2\"}]' | delivery.routes[0].via |"
            + " port missing",
        "delivery.routes | '[x.test]' | delivery.routes[0] | expected a mapping",
        "delivery.retry.schedule | '[]' | delivery.retry.schedule | at least one delay",
        "delivery.retry.schedule | '[1m, 0s]' | delivery.retry.schedule[1] | must be greater than"
            + " zero",
        "delivery.retry.max-age | 0d | delivery.retry.max-age | must be greater than zero",
        "delivery.helo-name | 'bad_name!' | delivery.helo-name | or \"\" for the hostname",
        "delivery.helo-name | '' | delivery.helo-name | got nothing",
        "delivery.max-connections | 0 | delivery.max-connections | must be greater than zero",
        "delivery.tls | strict | delivery.tls | one of none, opportunistic, required, verify",
        "delivery.dns.timeout | 0s | delivery.dns.timeout | must be greater than zero",
        "delivery.dns.timeout | 5 | delivery.dns.timeout | a unit is required",
        "delivery.delay-warning | never | delivery.delay-warning | a duration such as 4h (units"
            + " ms, s, m, h, d), or off",
        "delivery.delay-warning | -1h | delivery.delay-warning | or off, got \"-1h\"",
        "delivery.defaults.connections | 0 | delivery.defaults.connections | must be greater"
            + " than zero",
        "delivery.defaults.rate | fast | delivery.defaults.rate | a rate such as 100/s, 10/m or"
            + " 3600/h, or unlimited, got \"fast\"",
        "delivery.defaults.rate | 100 | delivery.defaults.rate | a unit is required, e.g. 100/s",
        "delivery.defaults.rate | 0/s | delivery.defaults.rate | must be greater than zero",
        "delivery.defaults.rate | 5/w | delivery.defaults.rate | unknown unit \"w\"",
        "delivery.defaults.messages-per-connection | -3 |"
            + " delivery.defaults.messages-per-connection | must be greater than zero",
        "delivery.defaults.idle-timeout | 30 | delivery.defaults.idle-timeout | a unit is"
            + " required",
        "delivery.defaults | '[1]' | delivery.defaults | expected a mapping of keys",
        "delivery.shaping | '[{connections: 5}]' | delivery.shaping[0].match | required",
        "delivery.shaping | '[{match: [], rate: 1/s}]' | delivery.shaping[0].match | a shaping"
            + " rule needs at least one domain pattern",
        "delivery.shaping | '[{match: [\"a.*\"]}]' | delivery.shaping[0].match[0] |"
            + " *.example.com",
        "delivery.shaping | '[{match: [x.test], rate: 1/w}]' | delivery.shaping[0].rate | unknown"
            + " unit",
        "delivery.shaping | '[{match: [x.test], connections: 0}]' |"
            + " delivery.shaping[0].connections | must be greater than zero",
        "delivery.shaping | '[x.test]' | delivery.shaping[0] | expected a mapping",
        "delivery.shaping | x.test | delivery.shaping | expected a list",
        "delivery.routes | '[{domains: [x.test], via: \"127.0.0.2:25\", tls: on}]' |"
            + " delivery.routes[0].tls | one of none, opportunistic, required, verify",
        "delivery.routes | '[{domains: [x.test], via: \"127.0.0.2:25\", auth: {username: u}}]' |"
            + " delivery.routes[0].auth.password | required; expected a password",
        "delivery.routes | '[{domains: [x.test], via: \"127.0.0.2:25\", auth: {password: p}}]' |"
            + " delivery.routes[0].auth.username | required; expected a user name",
        "delivery.routes | '[{domains: [x.test], via: \"127.0.0.2:25\", auth: {username: u,"
            + " password: \"\"}}]' | delivery.routes[0].auth.password | not empty",
        "delivery.routes | '[{domains: [x.test], via: \"127.0.0.2:25\", auth: u}]' |"
            + " delivery.routes[0].auth | expected a mapping",
        "delivery.backoff.initial | 0s | delivery.backoff.initial | must be greater than zero",
        "delivery.backoff.max | 10s | delivery.backoff.max | backoff max (10s) must be at least"
            + " backoff initial (30s)",
        "limits | 5 | limits | expected a mapping of keys, got \"5\"",
        "limits.max-errors | '[1, 2]' | limits.max-errors | got a list",
        "limits.max-errors | '' | limits.max-errors | got nothing",
      })
  void invalidValueIsReportedWithKeyLineAndAllowedValues(
      String key, String value, String reportedKey, String messagePart) {
    ConfigException e = failure(nest(key, value));
    int depth = key.split("\\.").length;
    assertThat(e.problems()).hasSize(1);
    ConfigProblem problem = e.problems().getFirst();
    assertThat(problem.key()).isEqualTo(reportedKey);
    assertThat(problem.line()).isEqualTo(depth);
    assertThat(problem.column()).isGreaterThan(0);
    assertThat(problem.message()).contains(messagePart);
    assertThat(e.getMessage()).startsWith("vireo.yaml:" + depth + ":");
  }

  /** Writes "a.b.c" = v as nested block YAML, the value on the last line. */
  private static String nest(String key, String value) {
    String[] parts = key.split("\\.");
    StringBuilder yaml = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      yaml.append("  ".repeat(i)).append(parts[i]).append(':');
      yaml.append(i == parts.length - 1 ? " " + value + "\n" : "\n");
    }
    return yaml.toString();
  }

  @Test
  void reportsEveryProblemInFileOrder() {
    ConfigException e =
        failure(
            """
            hostname: "not a host"
            limits:
              max-recipients: zero
              command-timeout: 5 minutes
            spool:
              sync: sometimes
            relay:
              allow-networks: [1.2.3.4/40, 127.0.0.0/8, "::1/129"]
            """);
    assertThat(e.problems())
        .extracting(ConfigProblem::key, ConfigProblem::line)
        .containsExactly(
            tuple("hostname", 1),
            tuple("limits.max-recipients", 3),
            tuple("limits.command-timeout", 4),
            tuple("spool.sync", 6),
            tuple("relay.allow-networks[0]", 8),
            tuple("relay.allow-networks[2]", 8));
    assertThat(e.getMessage().lines()).hasSize(6).allMatch(l -> l.startsWith("vireo.yaml:"));
  }

  @Test
  void unknownKeySuggestsTheClosestKnownKey() {
    ConfigException e =
        failure("limits:\n  max-mesage-size: 1MB\n  maxErrors: 3\n  frobnicate: true\n");
    assertThat(e.problems())
        .extracting(ConfigProblem::message)
        .containsExactly(
            "unknown key; did you mean max-message-size?",
            "unknown key; did you mean max-errors?",
            "unknown key; expected one of max-message-size, max-recipients, max-connections,"
                + " max-connections-per-ip, command-timeout, data-timeout, max-errors, nul,"
                + " max-connections-per-user, messages-per-minute-per-ip,"
                + " recipients-per-minute-per-ip, messages-per-minute-per-user,"
                + " recipients-per-minute-per-user");
    assertThat(e.problems().getFirst().key()).isEqualTo("limits.max-mesage-size");
    assertThat(e.problems().getFirst().line()).isEqualTo(2);
    assertThat(e.problems().getFirst().column()).isEqualTo(3);
  }

  @Test
  void keyInTheWrongSectionPointsToWhereItBelongs() {
    ConfigException e = failure("max-errors: 3\nlisten:\n  sync: none\n");
    assertThat(e.problems())
        .extracting(ConfigProblem::key, ConfigProblem::message)
        .containsExactly(
            tuple(
                "max-errors",
                "unknown key; did you mean limits.max-errors? (it belongs in another section)"),
            tuple(
                "listen.sync",
                "unknown key; did you mean spool.sync? (it belongs in another section)"));
  }

  @Test
  void unknownKeysInsideRoutesAreReported() {
    ConfigException e =
        failure(
            "delivery:\n  routes:\n    - { domains: [a.test], via: \"127.0.0.2:25\", vai: x }\n");
    assertThat(e.problems()).hasSize(1);
    assertThat(e.problems().getFirst().key()).isEqualTo("delivery.routes[0].vai");
    assertThat(e.problems().getFirst().message()).isEqualTo("unknown key; did you mean via?");
  }

  @Test
  void duplicateKeysAreErrors() {
    ConfigException e = failure("limits:\n  max-errors: 3\n  max-errors: 4\n");
    assertThat(e.problems())
        .containsExactly(
            new ConfigProblem("limits.max-errors", 3, 3, "duplicate key (first at line 2)"));
  }

  @Test
  void duplicateListenAddressesAreErrors() {
    ConfigException e =
        failure(
            "listen:\n  smtp: [\"127.0.0.1:25\", \"127.0.0.1:8025\"]\n  admin: 127.0.0.1:8025\n");
    assertThat(e.problems()).hasSize(1);
    assertThat(e.problems().getFirst().key()).isEqualTo("listen.admin");
    assertThat(e.problems().getFirst().message())
        .isEqualTo("127.0.0.1:8025 is already used by listen.smtp");
  }

  @Test
  void ephemeralPortsMayRepeat() throws ConfigException {
    assertThat(
            parse("listen: { smtp: [\"127.0.0.1:0\", \"127.0.0.1:0\"], admin: \"127.0.0.1:0\" }")
                .listen()
                .smtp())
        .hasSize(2);
  }

  @Test
  void syncIsCaseInsensitive() throws ConfigException {
    assertThat(parse("spool: { sync: None }").spool().sync()).isEqualTo(SyncPolicy.NONE);
    assertThat(parse("spool: { sync: ALWAYS }").spool().sync()).isEqualTo(SyncPolicy.ALWAYS);
  }

  @Test
  void brokenYamlIsReportedWithItsPosition() {
    ConfigException e = failure("limits:\n  max-errors: [1, 2\n");
    assertThat(e.problems()).hasSize(1);
    ConfigProblem problem = e.problems().getFirst();
    assertThat(problem.key()).isEmpty();
    assertThat(problem.line()).isPositive();
    assertThat(problem.message()).startsWith("invalid YAML: ");
    assertThat(e.getMessage())
        .startsWith("vireo.yaml:" + problem.line() + ":" + problem.column() + ": invalid YAML: ");
  }

  @Test
  void characterYamlForbidsIsReportedWithItsLineAndColumn() {
    // Found by ConfigLoaderFuzzTest: a vertical tab gave a problem with neither key nor line.
    ConfigException e = failure("hostname: relay.example\r\nlimits:\n  max-errors: 1\u000b\n");
    ConfigProblem problem = e.problems().getFirst();
    assertThat(problem.line()).isEqualTo(3);
    assertThat(problem.column()).isEqualTo(16);
    assertThat(problem.message()).isEqualTo(
        "invalid YAML: character U+000B is not allowed (YAML allows printable characters, tab and line breaks)");
    assertThat(failure("# \uD83D\uDCE7 mail\n\u0007").problems().getFirst())
        .extracting(ConfigProblem::line, ConfigProblem::column)
        .containsExactly(2, 1);
  }

  @Test
  void nonScalarKeyIsReportedWithItsLine() {
    // Found by ConfigLoaderFuzzTest: the YAML library refused it without a position.
    ConfigException e = failure("limits:\n  max-errors: 1\n  { a: b }: 2\n? [x]\n: y\n");
    assertThat(e.problems())
        .extracting(ConfigProblem::line)
        .containsExactly(3, 4);
    assertThat(e.problems().getFirst().message()).startsWith("keys must be plain names");
  }

  @Test
  void yamlErrorWithoutAPositionPointsAtTheLastTokenThatRead() {
    // Found by ConfigLoaderFuzzTest: the YAML scanner throws this one without a position.
    ConfigException e = failure("relay:\n  domains: [example.com\nd]elivery:\n  port: 25\n");
    ConfigProblem problem = e.problems().getFirst();
    assertThat(problem.line()).isEqualTo(3);
    assertThat(problem.message())
        .startsWith("invalid YAML: A simple key is required only if it is the first token")
        .endsWith("(just after here)");
  }

  @Test
  void rootMustBeAMapping() {
    ConfigException e = failure("- a\n- b\n");
    assertThat(e.problems())
        .extracting(ConfigProblem::message)
        .containsExactly("expected a mapping of keys, got a list");
    assertThat(e.getMessage()).isEqualTo("vireo.yaml:1:1: expected a mapping of keys, got a list");
  }

  @Test
  void loadReadsAFileAndNamesItInProblems(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("relay.yaml");
    Files.writeString(file, "hostname: relay.example\n");
    assertThat(ConfigLoader.load(file).hostname()).isEqualTo("relay.example");

    Files.writeString(file, "hostname: bad..name\n");
    assertThatThrownBy(() -> ConfigLoader.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(file + ":1:11: hostname: expected a domain name");
  }

  @Test
  void missingFileIsAConfigException(@TempDir Path dir) {
    Path missing = dir.resolve("absent.yaml");
    assertThatThrownBy(() -> ConfigLoader.load(missing))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(missing + ": cannot read file (NoSuchFileException");
  }

  @Test
  void aNonLoopbackAdminAddressNeedsATokenFile() {
    ConfigException e = failure("listen:\n  admin: 0.0.0.0:8425\n");
    assertThat(e.problems())
        .containsExactly(
            new ConfigProblem(
                "listen.admin",
                2,
                10,
                "0.0.0.0:8425 is not a loopback address: set admin.token-file so admin requests"
                    + " need a bearer token"));
  }

  @Test
  void theAdminTokenFileIsOptionalOnLoopbackAndKeptWhenGiven() throws ConfigException {
    assertThat(parse("listen: { admin: \"[::1]:8425\" }").admin().token()).isEmpty();
    VireoConfig c =
        parse("listen: { admin: 10.1.2.3:8425 }\nadmin:\n  token-file: /etc/vireo/admin.token\n");
    assertThat(c.admin().token()).contains(Path.of("/etc/vireo/admin.token"));
    assertThat(c.listen().admin()).isEqualTo(new HostPort("10.1.2.3", 8425));
  }

  @Test
  void minFreeSpaceIsASize() throws ConfigException {
    assertThat(ConfigLoader.defaults().spool().minFreeSpace()).isEqualTo(64L << 20);
    assertThat(parse("spool: { min-free-space: 2GB }").spool().minFreeSpace()).isEqualTo(2L << 30);
    assertThat(failure("spool: { min-free-space: lots }").problems().getFirst().key())
        .isEqualTo("spool.min-free-space");
  }

  @Test
  void spoolRollCycleAndContentCacheAreKeysWithTheSpoolsDefaults() throws Exception {
    SpoolConfig defaults = parse("").spool();
    assertThat(defaults.rollCycle()).isEqualTo(Duration.ofHours(1));
    assertThat(defaults.contentCache()).isEqualTo(64L << 20);
    SpoolConfig set = parse("spool: { roll-cycle: 10m, content-cache: 0 }").spool();
    assertThat(set.rollCycle()).isEqualTo(Duration.ofMinutes(10));
    assertThat(set.contentCache()).isZero();
    ConfigProblem problem = failure("spool:\n  roll-cycle: 7m\n").problems().getFirst();
    assertThat(problem.key()).isEqualTo("spool.roll-cycle");
    assertThat(problem.message()).contains("5m, 10m");
    assertThat(failure("spool: { content-cache: -1MB }").problems().getFirst().key())
        .isEqualTo("spool.content-cache");
  }

  @Test
  void dkimEntriesWithTheirHeaderLists() throws ConfigException {
    VireoConfig c =
        parse(
            """
            dkim:
              - { domain: Example.COM, selector: s2026, key-file: /etc/vireo/example.pem }
              - domain: other.example
                selector: ed.2026
                key-file: keys/other.pem
                headers: [from, subject, X-App-Id]
            """);
    assertThat(c.dkim())
        .containsExactly(
            new DkimConfig(
                "example.com",
                "s2026",
                Path.of("/etc/vireo/example.pem"),
                DkimConfig.DEFAULT_HEADERS),
            new DkimConfig(
                "other.example",
                "ed.2026",
                Path.of("keys/other.pem"),
                List.of("from", "subject", "X-App-Id")));
    assertThat(ConfigLoader.parse(ConfigPrinter.render(c), "printed")).isEqualTo(c);
    assertThat(ConfigLoader.defaults().dkim()).isEmpty();
  }

  @Test
  void dkimProblemsNameTheEntryAndKey() {
    ConfigException e =
        failure(
            """
            dkim:
              - { domain: a.example, selector: s1 }
              - { domain: b.example, selector: s1, key-file: k.pem, headers: [Subject] }
              - { domain: c.example, selector: "bad selector", key-file: k.pem, headers: ["X:Y"] }
              - { domain: A.example, selector: s2, key-file: k2.pem }
              - { domain: a.example, selector: s3, key-file: k3.pem }
            """);
    assertThat(e.problems())
        .extracting(ConfigProblem::key, ConfigProblem::message)
        .contains(
            tuple("dkim[0].key-file", "required; expected a file system path"),
            tuple(
                "dkim[1].headers", "the signed headers must include From (RFC 6376 section 5.4)"),
            tuple(
                "dkim[4].domain", "a.example already has a dkim entry; give each domain one key"));
    assertThat(e.problems())
        .extracting(ConfigProblem::key)
        .contains("dkim[2].selector", "dkim[2].headers[0]");
  }
}
