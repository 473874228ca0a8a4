package io.vireo.relay.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.config.ConfigLoader;
import io.vireo.config.VireoConfig;
import org.junit.jupiter.api.Test;

/** What a reload applies and what it reports as needing a restart. */
class ConfigChangesTest {
  private static VireoConfig parse(String yaml) throws Exception {
    return ConfigLoader.parse(yaml, "vireo.yaml");
  }

  @Test
  void theSameFileChangesNothing() throws Exception {
    ConfigChanges changes = ConfigChanges.between(parse(""), parse(""));
    assertThat(changes.applied()).isEmpty();
    assertThat(changes.restartRequired()).isEmpty();
  }

  @Test
  void splitsAppliedKeysFromThoseNeedingARestart() throws Exception {
    ConfigChanges changes =
        ConfigChanges.between(
            parse(""),
            parse(
                """
                hostname: other.test
                listen:
                  smtp: 127.0.0.1:2626
                relay:
                  domains: [example.org]
                delivery:
                  max-connections: 7
                  retry:
                    schedule: [1m]
                  defaults:
                    connections: 3
                    idle-timeout: 1m
                log:
                  level: debug
                """));
    assertThat(changes.applied())
        .containsExactly("relay", "log", "delivery.retry", "delivery.defaults");
    assertThat(changes.restartRequired())
        .containsExactly(
            "hostname",
            "listen.smtp",
            "delivery.defaults.idle-timeout",
            "delivery.max-connections");
  }

  @Test
  void theSharedRedisAndHowToLogInToItNeedARestart() throws Exception {
    String plain = "cluster:\n  redis: redis://127.0.0.1:6379\n";
    String secured =
        """
        cluster:
          redis: rediss://127.0.0.1:6380
          redis-user: vireo
          redis-password-file: /run/secrets/redis
          redis-ca-file: /etc/vireo/redis-ca.pem
        """;
    ConfigChanges changes = ConfigChanges.between(parse(plain), parse(secured));
    assertThat(changes.applied()).isEmpty();
    assertThat(changes.restartRequired())
        .containsExactly(
            "cluster.redis",
            "cluster.redis-user",
            "cluster.redis-password-file",
            "cluster.redis-ca-file");
    assertThat(ConfigChanges.between(parse(""), parse(plain)).restartRequired())
        .containsExactly("cluster.redis");
    assertThat(
            ConfigChanges.between(
                    parse(secured), parse(secured.replace("/run/secrets/redis", "/run/pw")))
                .restartRequired())
        .containsExactly("cluster.redis-password-file");
  }

  @Test
  void requireTlsIsAppliedForSmtpPop3AndImapAlike() throws Exception {
    String imap = "listen:\n  smtp: 127.0.0.1:0\n  imap: 127.0.0.1:0\n  pop3: 127.0.0.1:0\n";
    String clear = "auth:\n  require-tls: false\n";
    ConfigChanges withImap = ConfigChanges.between(parse(imap), parse(imap + clear));
    assertThat(withImap.applied()).containsExactly("auth");
    assertThat(withImap.restartRequired()).isEmpty();

    ConfigChanges smtpOnly = ConfigChanges.between(parse(""), parse(clear));
    assertThat(smtpOnly.applied()).containsExactly("auth");
    assertThat(smtpOnly.restartRequired()).isEmpty();
  }

  @Test
  void localMailboxesReloadButTheirDirectoryNeedsARestart() throws Exception {
    ConfigChanges changes =
        ConfigChanges.between(
            parse(""),
            parse(
                """
                local:
                  domains: [example.com]
                  quota: 5MB
                mailbox:
                  dir: /srv/mail
                """));
    assertThat(changes.applied()).containsExactly("local");
    assertThat(changes.restartRequired()).containsExactly("mailbox.dir");
  }
}
