package io.vireo.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code listen.smtps}, {@code tls} and {@code auth}: how they load and what is refused. */
class SecurityConfigTest {

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
  void defaultsOfferNeitherTlsNorAuthButRequireTlsForAuth() throws ConfigException {
    VireoConfig c = parse("");
    assertThat(c.listen().smtps()).isEmpty();
    assertThat(c.tls().enabled()).isFalse();
    assertThat(c.auth().enabled()).isFalse();
    assertThat(c.auth().requireTls()).isTrue();
    assertThat(c.auth())
        .extracting(
            AuthConfig::throttleAfter,
            AuthConfig::throttleDelay,
            AuthConfig::lockoutAfter,
            AuthConfig::lockoutDuration,
            AuthConfig::cacheTtl)
        .containsExactly(
            3, Duration.ofSeconds(10), 10, Duration.ofMinutes(15), Duration.ofMinutes(5));
    assertThat(c.auth().cacheEnabled()).isTrue();
  }

  @Test
  void readsEveryKey() throws ConfigException {
    VireoConfig c =
        parse(
            """
            listen:
              smtps: [127.0.0.1:4650, "[::1]:0"]
            tls:
              cert-file: /etc/vireo/cert.pem
              key-file: /etc/vireo/key.pem
            auth:
              users-file: users
              require-tls: false
              throttle-after: 2
              throttle-delay: 1s
              lockout-after: 5
              lockout-duration: 1h
              cache-ttl: 90s
            """);
    assertThat(c.listen().smtps())
        .containsExactly(new HostPort("127.0.0.1", 4650), new HostPort("::1", 0));
    assertThat(c.tls())
        .isEqualTo(
            new TlsConfig(
                Optional.of(Path.of("/etc/vireo/cert.pem")),
                Optional.of(Path.of("/etc/vireo/key.pem"))));
    assertThat(c.auth())
        .isEqualTo(
            new AuthConfig(
                Optional.of(Path.of("users")),
                false,
                2,
                Duration.ofSeconds(1),
                5,
                Duration.ofHours(1),
                Duration.ofSeconds(90)));
    assertThat(ConfigLoader.parse(ConfigPrinter.render(c), "printed.yaml")).isEqualTo(c);
  }

  @ParameterizedTest
  @CsvSource({"0, PT0S", "0s, PT0S", "off, PT0S", "5m, PT5M", "1h, PT1H"})
  void theLoginCacheTtlMayBeZeroForOff(String text, Duration expected) throws ConfigException {
    VireoConfig c = parse("auth: { cache-ttl: " + text + " }\n");
    assertThat(c.auth().cacheTtl()).isEqualTo(expected);
    assertThat(c.auth().cacheEnabled()).isEqualTo(!expected.isZero());
    assertThat(ConfigLoader.parse(ConfigPrinter.render(c), "printed.yaml")).isEqualTo(c);
  }

  @Test
  void implicitTlsWithoutACertificateIsRefusedAtItsKey() {
    ConfigException e = failure("listen:\n  smtps: 127.0.0.1:465\n");
    assertThat(e.problems())
        .extracting(ConfigProblem::key, ConfigProblem::line, ConfigProblem::message)
        .containsExactly(
            tuple(
                "listen.smtps",
                2,
                "implicit TLS needs a certificate: set tls.cert-file and tls.key-file"));
  }

  @Test
  void certificateWithoutKeyIsRefused() {
    ConfigException e = failure("tls:\n  cert-file: cert.pem\n");
    assertThat(e.problems())
        .extracting(ConfigProblem::key, ConfigProblem::message)
        .containsExactly(
            tuple(
                "tls.key-file",
                "tls.cert-file and tls.key-file go together: set both, or neither for no TLS"));
  }

  @Test
  void badAuthValuesAreReportedWithTheirKeys() {
    ConfigException e =
        failure(
            """
            auth:
              require-tls: maybe
              throttle-after: 0
              lockout-duration: forever
              cache-ttl: -5m
            """);
    assertThat(e.problems())
        .extracting(ConfigProblem::key, ConfigProblem::line)
        .containsExactly(
            tuple("auth.require-tls", 2),
            tuple("auth.throttle-after", 3),
            tuple("auth.lockout-duration", 4),
            tuple("auth.cache-ttl", 5));
    assertThat(failure("auth:\n  throttle-after: 5\n  lockout-after: 4\n").problems())
        .extracting(ConfigProblem::key, ConfigProblem::message)
        .containsExactly(
            tuple("auth.lockout-after", "lockout-after (4) must be at least throttle-after (5)"));
  }

  @Test
  void smtpsAddressMayNotRepeatAnotherListener() {
    ConfigException e =
        failure(
            """
            listen: { smtp: 127.0.0.1:2525, smtps: 127.0.0.1:2525 }
            tls: { cert-file: c.pem, key-file: k.pem }
            """);
    assertThat(e.problems())
        .extracting(ConfigProblem::key)
        .containsExactly("listen.smtps");
  }

  @Test
  void recordsCheckTheirOwnRules() {
    assertThatThrownBy(() -> new TlsConfig(Optional.of(Path.of("c")), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new AuthConfig(
                    Optional.empty(),
                    true,
                    5,
                    Duration.ofSeconds(1),
                    4,
                    Duration.ofMinutes(1),
                    Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new AuthConfig(
                    Optional.empty(),
                    true,
                    3,
                    Duration.ofSeconds(1),
                    4,
                    Duration.ofMinutes(1),
                    Duration.ofMinutes(-1)))
        .hasMessageContaining("cacheTtl");
    VireoConfig d = ConfigLoader.defaults();
    assertThatThrownBy(
            () ->
                new VireoConfig(
                    d.hostname(),
                    new ListenConfig(d.listen().smtp(), List.of(new HostPort("::1", 0)), d.listen().admin()),
                    d.spool(),
                    d.limits(),
                    d.relay(),
                    d.delivery()))
        .hasMessageContaining("listen.smtps needs tls.cert-file");
  }
}
