package io.vireo.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigPrinterTest {

  @Test
  void rendersDefaultsWithTheFileKeysAndUnits() {
    assertThat(ConfigPrinter.render(ConfigLoader.defaults()))
        .isEqualTo(
            """
            hostname: vireo.local
            listen:
              smtp: "127.0.0.1:2525"
              smtps: []
              admin: "127.0.0.1:8425"
              proxy-from: []
              http: ""
              pop3: []
              pop3s: []
              imap: []
              imaps: []
            spool:
              dir: data/spool
              sync: group
              min-free-space: 64MB
              roll-cycle: 1h
              content-cache: 64MB
            limits:
              max-message-size: 50MB
              max-recipients: 1000
              max-connections: 10000
              max-connections-per-ip: 1000
              command-timeout: 5m
              data-timeout: 5m
              max-errors: 10
              nul: reject
              max-connections-per-user: 1000
              messages-per-minute-per-ip: unlimited
              recipients-per-minute-per-ip: unlimited
              messages-per-minute-per-user: unlimited
              recipients-per-minute-per-user: unlimited
            relay:
              allow-networks: [127.0.0.0/8, "::1/128"]
              domains: []
            delivery:
              port: 25
              helo-name: ""
              max-connections: 500
              tls: opportunistic
              dns:
                servers: []
                timeout: 5s
              routes: []
              retry:
                schedule: [1m, 5m, 15m, 30m, 1h, 2h, 4h]
                max-age: 5d
              delay-warning: 4h
              defaults:
                connections: 20
                rate: unlimited
                messages-per-connection: 1000
                idle-timeout: 30s
              shaping: []
              backoff:
                initial: 30s
                max: 10m
              tuning:
                stop-grace: 10s
                max-concurrent-lookups: 64
                max-recipients-per-transaction: 100
            tls:
              cert-file: ""
              key-file: ""
            auth:
              users-file: ""
              require-tls: true
              throttle-after: 3
              throttle-delay: 10s
              lockout-after: 10
              lockout-duration: 15m
              cache-ttl: 5m
            cluster:
              redis: ""
              redis-user: ""
              redis-password-file: ""
              redis-ca-file: ""
            dkim: []
            local:
              domains: []
              aliases: {}
              catch-all: {}
              quota: 1GB
            mailbox:
              dir: data/mailboxes
              pop3-autologout: 10m
            api:
              keys-file: ""
              rate: 100/s
              max-body-size: 70MB
              dir: data/api
              idempotency-window: 1d
            shutdown:
              grace: 30s
            log:
              level: info
              format: text
            events:
              enabled: true
              dir: ""
              segment-size: 64MB
              max-size: 1GB
            webhooks: []
            suppression:
              enabled: false
              file: ""
              action: refuse
              expire-after: 90d
              soft-bounces: 5
              soft-bounce-window: 3d
            """);
  }

  @Test
  void defaultsRoundTrip() throws ConfigException {
    VireoConfig defaults = ConfigLoader.defaults();
    assertThat(ConfigLoader.parse(ConfigPrinter.render(defaults), "printed")).isEqualTo(defaults);
  }

  @Test
  void everyNonDefaultValueRoundTrips() throws ConfigException {
    VireoConfig config = everythingChanged();
    String yaml = ConfigPrinter.render(config);
    assertThat(ConfigLoader.parse(yaml, "printed")).isEqualTo(config);
    assertThat(yaml)
        .contains("hostname: \"null\"\n")
        .contains("  smtp: [\"0.0.0.0:25\", \"[::]:0\"]\n")
        .contains(
            "    - domains: [\"*.test\", exact.example]\n"
                + "      via: \"127.0.0.2:2526\"\n"
                + "      tls: verify\n"
                + "      auth:\n"
                + "        username: \"relay@example.net\"\n"
                + "        password: \"s3cret: #1\"\n")
        .contains("      via: \"smarthost.example.net:587\"\n      tls: opportunistic\n  retry:")
        .contains("  max-message-size: 1536B\n")
        .contains("  command-timeout: 1500ms\n")
        .contains("    max-age: 36h\n")
        .contains("  helo-name: out.example.net\n")
        .contains("  tls: none\n")
        .contains("    timeout: 1500ms\n")
        .contains("  delay-warning: off\n")
        .contains("    rate: 10/m\n")
        .contains(
            "    - match: [\"*.bigmail.test\", mx.provider.test]\n"
                + "      connections: 5\n"
                + "      rate: 100/s\n"
                + "      messages-per-connection: 100\n"
                + "      idle-timeout: 1m\n")
        .contains("      rate: 0.00001234/s\n")
        .contains("    initial: 1s\n    max: 1s\n")
        .contains("  pop3: [\"0.0.0.0:110\"]\n")
        .contains("  imap: [\"[::]:143\", \"127.0.0.1:0\"]\n")
        .contains("mailbox:\n  dir: \"/srv/mail boxes\"\n  pop3-autologout: 15m\n")
        .contains(
            "cluster:\n"
                + "  redis: \"rediss://redis.internal:6380/2\"\n"
                + "  redis-user: vireo\n"
                + "  redis-password-file: \"/etc/vireo/redis password\"\n"
                + "  redis-ca-file: /etc/vireo/redis-ca.pem\n");
  }

  @Test
  void redactedRenderingMasksPasswordsAndNothingElse() {
    VireoConfig config = everythingChanged();
    String redacted = ConfigPrinter.renderRedacted(config);
    assertThat(redacted)
        .doesNotContain("s3cret")
        .contains("        password: \"<redacted>\"\n")
        .isEqualTo(
            ConfigPrinter.render(config)
                .replace("password: \"s3cret: #1\"", "password: \"<redacted>\""));
  }

  private static VireoConfig everythingChanged() {
    return new VireoConfig(
        "null",
        new ListenConfig(
            List.of(new HostPort("0.0.0.0", 25), new HostPort("::", 0)),
            List.of(),
            new HostPort("::1", 9000),
            List.of(Cidr.parse("10.0.0.5/32"), Cidr.parse("fd00::/8"))),
        new SpoolConfig(Path.of("/srv/vireo spool/\"q\"#1"), SyncPolicy.NONE, 3L << 30),
        new LimitsConfig(
            1536,
            7,
            8,
            9,
            Duration.ofMillis(1500),
            Duration.ofDays(1),
            1,
            NulPolicy.STRIP,
            new SenderLimits(
                3,
                java.util.OptionalInt.of(5),
                java.util.OptionalInt.empty(),
                java.util.OptionalInt.of(1),
                java.util.OptionalInt.of(2))),
        new RelayConfig(
            List.of(Cidr.parse("0.0.0.0/0"), Cidr.parse("fc00::/7")), List.of("example.org")),
        new DeliveryConfig(
            2526,
            new DnsConfig(
                List.of(new HostPort("127.0.0.1", 5353), new HostPort("::1", 53)),
                Duration.ofMillis(1500)),
            List.of(
                new RouteConfig(
                    List.of("*.test", "exact.example"),
                    new HostPort("127.0.0.2", 2526),
                    TlsMode.VERIFY,
                    new RouteAuth("relay@example.net", "s3cret: #1")),
                new RouteConfig(List.of("*"), new HostPort("smarthost.example.net", 587))),
            new RetryConfig(
                List.of(Duration.ofSeconds(1), Duration.ofMillis(250)), Duration.ofHours(36)),
            "out.example.net",
            3,
            TlsMode.NONE,
            Duration.ZERO,
            new DestinationLimits(2, new Rate(10 / 60.0), 50, Duration.ofMillis(2500)),
            List.of(
                new ShapingRule(
                    List.of("*.bigmail.test", "mx.provider.test"),
                    new DestinationLimits(5, new Rate(100), 100, Duration.ofMinutes(1))),
                new ShapingRule(
                    List.of("*"),
                    new DestinationLimits(1, new Rate(0.00001234), 1, Duration.ofSeconds(1)))),
            new BackoffConfig(Duration.ofSeconds(1), Duration.ofSeconds(1))))
        .withAdmin(new AdminConfig(Path.of("/etc/vireo/admin token")))
        .withNotifications(
            new EventsConfig(true, Optional.of(Path.of("/var/log/vireo events")), 1L << 20, 3L << 20),
            List.of(
                new WebhookConfig(
                    java.net.URI.create("https://hooks.example.com/v1?x=1"),
                    Path.of("/etc/vireo/hook secret"),
                    List.of("delivered", "bounced"),
                    1,
                    Duration.ofMillis(1500)),
                new WebhookConfig(
                    java.net.URI.create("http://127.0.0.1:9000/"), Path.of("/etc/vireo/s2"))),
            new SuppressionConfig(
                true,
                Optional.of(Path.of("/var/lib/vireo/supp.jsonl")),
                SuppressionAction.HOLD,
                Duration.ZERO,
                0,
                Duration.ofHours(12)))
        .withMailbox(
            new ListenConfig(
                List.of(new HostPort("0.0.0.0", 25), new HostPort("::", 0)),
                List.of(),
                new HostPort("::1", 9000),
                List.of(Cidr.parse("10.0.0.5/32"), Cidr.parse("fd00::/8")),
                Optional.empty(),
                List.of(new HostPort("0.0.0.0", 110)),
                List.of(),
                List.of(new HostPort("::", 143), new HostPort("127.0.0.1", 0)),
                List.of()),
            new MailboxConfig(Path.of("/srv/mail boxes"), java.time.Duration.ofMinutes(15)))
        .withCluster(
            new ClusterConfig(
                Optional.of(new RedisEndpoint("redis.internal", 6380, 2, true)),
                Optional.of("vireo"),
                Optional.of(Path.of("/etc/vireo/redis password")),
                Optional.of(Path.of("/etc/vireo/redis-ca.pem"))));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\'',
      value = {
        "vireo.local | vireo.local",
        "data/spool | data/spool",
        "true | '\"true\"'",
        "~ | '\"~\"'",
        "*.test | '\"*.test\"'",
        "a b | '\"a b\"'",
        "say \"hi\" | '\"say \\\"hi\\\"\"'",
        "-x | '\"-x\"'"
      })
  void quotesOnlyWhatYamlWouldMisread(String text, String rendered) {
    assertThat(ConfigPrinter.scalar(text)).isEqualTo(rendered);
  }
}
