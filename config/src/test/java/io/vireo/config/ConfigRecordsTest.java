package io.vireo.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The records refuse invalid values even when built in code rather than loaded. */
class ConfigRecordsTest {
  private static final HostPort HOP = new HostPort("127.0.0.2", 25);

  @Test
  void limitsMustBePositive() {
    Duration five = Duration.ofMinutes(5);
    NulPolicy nul = NulPolicy.REJECT;
    SenderLimits senders = SenderLimits.DEFAULTS;
    assertThatThrownBy(() -> new LimitsConfig(0, 1, 1, 1, five, five, 1, nul, senders))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LimitsConfig(1, 1, 1, 1, Duration.ZERO, five, 1, nul, senders))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LimitsConfig(1, 1, 1, 1, five, five, -1, nul, senders))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void listenNeedsAnSmtpAddress() {
    assertThatThrownBy(() -> new ListenConfig(List.of(), HOP))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void deliveryPortZeroIsRefused() {
    RetryConfig retry = ConfigLoader.defaults().delivery().retry();
    assertThatThrownBy(() -> new DeliveryConfig(0, new DnsConfig(List.of()), List.of(), retry))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void routesAndRelayDomainsAreLowerCasedAndChecked() {
    assertThat(new RouteConfig(List.of("*.Example.COM"), HOP).domains())
        .containsExactly("*.example.com");
    assertThat(new RelayConfig(List.of(), List.of("Example.COM")).domains())
        .containsExactly("example.com");
    assertThatThrownBy(() -> new RouteConfig(List.of(), HOP))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RouteConfig(List.of("a.*.b"), HOP))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RelayConfig(List.of(), List.of("*.example.com")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void dnsServersMustBeIpLiterals() {
    assertThatThrownBy(() -> new DnsConfig(List.of(new HostPort("ns.example.com", 53))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void retryScheduleMustBeNonEmptyAndPositive() {
    Duration day = Duration.ofDays(1);
    assertThatThrownBy(() -> new RetryConfig(List.of(), day))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RetryConfig(List.of(Duration.ofSeconds(-1)), day))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RetryConfig(List.of(day), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void oldConstructorsFillTheNewComponentsWithDefaults() {
    DeliveryConfig d = ConfigLoader.defaults().delivery();
    DeliveryConfig old = new DeliveryConfig(2525, new DnsConfig(List.of()), List.of(), d.retry());
    assertThat(old)
        .isEqualTo(
            new DeliveryConfig(
                2525,
                new DnsConfig(List.of(), Duration.ofSeconds(5)),
                List.of(),
                d.retry(),
                "",
                500,
                TlsMode.OPPORTUNISTIC,
                Duration.ofHours(4),
                new DestinationLimits(20, Rate.unlimited(), 1000, Duration.ofSeconds(30)),
                List.of(),
                new BackoffConfig(Duration.ofSeconds(30), Duration.ofMinutes(10))));
    assertThat(new RouteConfig(List.of("a.test"), HOP))
        .isEqualTo(new RouteConfig(List.of("a.test"), HOP, TlsMode.OPPORTUNISTIC, null));
  }

  @Test
  void deliveryRefusesBadNewComponents() {
    DeliveryConfig d = ConfigLoader.defaults().delivery();
    assertThatThrownBy(() -> withHeloAndWarning(d, "bad name", d.delayWarning()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> withHeloAndWarning(d, "", Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(withHeloAndWarning(d, "", Duration.ZERO).delayWarningEnabled()).isFalse();
    assertThat(withHeloAndWarning(d, "out.example", Duration.ZERO).heloNameOr("vireo.local"))
        .isEqualTo("out.example");
  }

  private static DeliveryConfig withHeloAndWarning(
      DeliveryConfig d, String heloName, Duration delayWarning) {
    return new DeliveryConfig(
        d.port(),
        d.dns(),
        d.routes(),
        d.retry(),
        heloName,
        d.maxConnections(),
        d.tls(),
        delayWarning,
        d.defaults(),
        d.shaping(),
        d.backoff());
  }

  @Test
  void destinationLimitsAndBackoffMustBePositiveAndOrdered() {
    Duration second = Duration.ofSeconds(1);
    assertThatThrownBy(() -> new DestinationLimits(0, Rate.unlimited(), 1, second))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DestinationLimits(1, Rate.unlimited(), 0, second))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DestinationLimits(1, Rate.unlimited(), 1, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new BackoffConfig(Duration.ofMinutes(2), Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be at least initial");
    assertThat(new BackoffConfig(second, second).max()).isEqualTo(second);
    assertThatThrownBy(() -> new DnsConfig(List.of(), Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shapingRulesAreLowerCasedAndChecked() {
    DestinationLimits limits = ConfigLoader.defaults().delivery().defaults();
    assertThat(new ShapingRule(List.of("*.BigMail.test"), limits).match())
        .containsExactly("*.bigmail.test");
    assertThatThrownBy(() -> new ShapingRule(List.of(), limits))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ShapingRule(List.of("mx.*.test"), limits))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void routeAuthNeverShowsItsPasswordInToString() {
    RouteAuth auth = new RouteAuth("relay", "hunter2");
    assertThat(auth.toString()).isEqualTo("RouteAuth[username=relay, password=<redacted>]");
    assertThat(new RouteConfig(List.of("a.test"), HOP, TlsMode.REQUIRED, auth).toString())
        .doesNotContain("hunter2");
    assertThatThrownBy(() -> new RouteAuth("", "p")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RouteAuth("u", "")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RouteAuth("u", "a\0b"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void hostnameMustBeADomainName() {
    VireoConfig d = ConfigLoader.defaults();
    assertThatThrownBy(
            () ->
                new VireoConfig(
                    "not valid", d.listen(), d.spool(), d.limits(), d.relay(), d.delivery()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
