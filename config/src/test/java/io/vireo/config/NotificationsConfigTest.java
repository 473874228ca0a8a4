package io.vireo.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code events}, {@code webhooks} and {@code suppression}: defaults, values, errors with lines. */
class NotificationsConfigTest {
  private static VireoConfig parse(String yaml) throws ConfigException {
    return ConfigLoader.parse(yaml, "vireo.yaml");
  }

  @Test
  void defaultsWriteTheLogBesideTheSpoolWithNoWebhooksAndNoSuppression() {
    VireoConfig d = ConfigLoader.defaults();
    assertThat(d.events()).isEqualTo(EventsConfig.DEFAULTS);
    assertThat(d.events().dirFor(Path.of("/s"))).isEqualTo(Path.of("/s/event-log"));
    assertThat(d.webhooks()).isEmpty();
    assertThat(d.suppression().enabled()).isFalse();
    assertThat(d.suppression().fileFor(Path.of("/s"))).isEqualTo(Path.of("/s/suppressions.jsonl"));
  }

  @Test
  void readsWebhooksWithTheirDefaults() throws ConfigException {
    VireoConfig config =
        parse(
            """
            webhooks:
              - { url: "https://hooks.example.com/vireo", secret-file: /etc/s, events: [delivered, bounced], batch: 1, timeout: 3s }
              - url: http://127.0.0.1:9000/
                secret-file: s2
            """);
    assertThat(config.webhooks())
        .containsExactly(
            new WebhookConfig(
                URI.create("https://hooks.example.com/vireo"),
                Path.of("/etc/s"),
                List.of("delivered", "bounced"),
                1,
                Duration.ofSeconds(3)),
            new WebhookConfig(URI.create("http://127.0.0.1:9000/"), Path.of("s2")));
  }

  @Test
  void relativeSecretFilesAndDirsResolveAgainstTheConfigFile() throws Exception {
    Path dir = java.nio.file.Files.createTempDirectory("vireo-notif");
    Path file = dir.resolve("vireo.yaml");
    java.nio.file.Files.writeString(
        file,
        """
        events: { dir: ev }
        webhooks: [{ url: "http://127.0.0.1:1/", secret-file: hook.secret }]
        suppression: { enabled: true, file: supp.jsonl }
        """);
    VireoConfig config = ConfigLoader.load(file);
    assertThat(config.events().dir()).contains(dir.resolve("ev"));
    assertThat(config.webhooks().getFirst().secretFile()).isEqualTo(dir.resolve("hook.secret"));
    assertThat(config.suppression().file()).contains(dir.resolve("supp.jsonl"));
  }

  @Test
  void refusesBadWebhooksNamingKeyAndLine() {
    assertThatThrownBy(
            () ->
                parse(
                    """
                    webhooks:
                      - url: "ftp://x.example/"
                        secret-file: s
                        events: [delivered, opened]
                      - url: "http://x.example/"
                    """))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("vireo.yaml:2:10: webhooks[0].url: expected an http or https URL")
        .hasMessageContaining("webhooks[0].events[1]: expected one of received, delivered")
        .hasMessageContaining("webhooks[1].secret-file: required");
  }

  @Test
  void webhooksNeedTheEventLog() {
    assertThatThrownBy(
            () ->
                parse(
                    """
                    events: { enabled: false }
                    webhooks: [{ url: "http://127.0.0.1:1/", secret-file: s }]
                    """))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("webhooks need events.enabled: true");
  }

  @Test
  void readsSuppression() throws ConfigException {
    SuppressionConfig s =
        parse(
                """
                suppression: { enabled: true, action: hold, expire-after: off, soft-bounces: off, soft-bounce-window: 1h }
                """)
            .suppression();
    assertThat(s)
        .isEqualTo(
            new SuppressionConfig(
                true, Optional.empty(), SuppressionAction.HOLD, Duration.ZERO, 0, Duration.ofHours(1)));
    assertThatThrownBy(() -> parse("suppression: { action: drop }"))
        .hasMessageContaining("suppression.action: expected one of refuse, hold");
  }

  @Test
  void refusesAnEventLogSmallerThanTwoSegments() {
    assertThatThrownBy(() -> parse("events: { segment-size: 1MB, max-size: 1MB }"))
        .hasMessageContaining("at least twice segment-size");
  }
}
