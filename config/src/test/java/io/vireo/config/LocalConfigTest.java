package io.vireo.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code local}, {@code mailbox} and capture routes: how they read, print and fail. */
class LocalConfigTest {

  @Test
  void localDomainsAliasesCatchAllQuotaAndCaptureRoutesLoadAndPrintBack() throws Exception {
    VireoConfig config =
        ConfigLoader.parse(
            """
            local:
              domains: [Example.COM, example.org]
              aliases: { "Sales@example.com": [alice, bob], "info@example.org": carol }
              catch-all: { example.com: alice }
              quota: 10MB
            mailbox:
              dir: /var/mail/vireo
            delivery:
              routes:
                - { domains: ["*.staging.test"], via: capture, mailbox: staging }
                - { domains: ["*"], via: "127.0.0.2:2526" }
            """,
            "t.yaml");
    LocalConfig local = config.local();
    assertThat(local.domains()).containsExactly("example.com", "example.org");
    assertThat(local.aliases())
        .containsExactly(
            Map.entry("sales@example.com", List.of("alice", "bob")),
            Map.entry("info@example.org", List.of("carol")));
    assertThat(local.catchAll()).containsExactly(Map.entry("example.com", "alice"));
    assertThat(local.quota()).isEqualTo(10L * 1024 * 1024);
    assertThat(local.isLocal("EXAMPLE.org.")).isTrue();
    assertThat(config.mailbox().dir().toString()).isEqualTo("/var/mail/vireo");
    RouteConfig capture = config.delivery().routeFor("app.staging.test").orElseThrow();
    assertThat(capture.isCapture()).isTrue();
    assertThat(capture.captureMailbox()).isEqualTo("staging");
    assertThat(capture.via()).isNull();
    assertThat(config.delivery().routeFor("other.test").orElseThrow().isCapture()).isFalse();

    assertThat(ConfigLoader.parse(ConfigPrinter.render(config), "printed")).isEqualTo(config);
  }

  @Test
  void quotaOffMeansNoLimit() throws Exception {
    LocalConfig local = ConfigLoader.parse("local: { quota: off }", "t.yaml").local();
    assertThat(local.hasQuota()).isFalse();
    assertThat(ConfigPrinter.render(ConfigLoader.parse("local: { quota: off }", "t")))
        .contains("quota: off");
  }

  @Test
  void mistakesAreReportedWithTheirKeys() {
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    """
                    relay:
                      domains: [both.test]
                    local:
                      domains: [both.test]
                    """,
                    "t.yaml"))
        .hasMessageContaining("local.domains")
        .hasMessageContaining("also in relay.domains");
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    """
                    local:
                      domains: [example.com]
                      aliases: { "sales@elsewhere.test": [alice], "not-an-address": [bob] }
                      catch-all: { other.test: alice }
                    """,
                    "t.yaml"))
        .hasMessageContaining("local.aliases.sales@elsewhere.test")
        .hasMessageContaining("not an address of a domain in local.domains")
        .hasMessageContaining("local.aliases.not-an-address")
        .hasMessageContaining("local.catch-all.other.test");
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    """
                    local:
                      domains: [example.com]
                      aliases: { "a@example.com": ["../etc"] }
                    """,
                    "t.yaml"))
        .hasMessageContaining("not . or ..");
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    """
                    delivery:
                      routes:
                        - { domains: ["*"], via: capture }
                        - { domains: ["*"], via: capture, mailbox: m, tls: required }
                        - { domains: ["*"], via: "127.0.0.1:25", mailbox: m }
                    """,
                    "t.yaml"))
        .hasMessageContaining("delivery.routes[0].mailbox: required")
        .hasMessageContaining("delivery.routes[1].tls: a capture route sends nothing")
        .hasMessageContaining("delivery.routes[2].mailbox: only a capture route");
  }

  @Test
  void recordsRefuseWhatTheLoaderRefuses() {
    assertThatThrownBy(
            () -> new LocalConfig(List.of("a.test"), Map.of("x@b.test", List.of("u")), Map.of(), 0))
        .hasMessageContaining("not an address in local.domains");
    assertThatThrownBy(() -> RouteConfig.capture(List.of("*"), "a/b"))
        .hasMessageContaining("not a mailbox user name");
    assertThatThrownBy(
            () ->
                new VireoConfig(
                        "h.test",
                        ConfigLoader.defaults().listen(),
                        ConfigLoader.defaults().spool(),
                        ConfigLoader.defaults().limits(),
                        new RelayConfig(List.of(), List.of("a.test")),
                        ConfigLoader.defaults().delivery())
                    .withLocal(
                        new LocalConfig(List.of("a.test"), Map.of(), Map.of(), 0),
                        MailboxConfig.DEFAULTS))
        .hasMessageContaining("in both local.domains and relay.domains");
  }
}
