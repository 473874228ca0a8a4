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
    assertThatThrownBy(() -> new LimitsConfig(0, 1, 1, 1, five, five, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LimitsConfig(1, 1, 1, 1, Duration.ZERO, five, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new LimitsConfig(1, 1, 1, 1, five, five, -1))
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
  void hostnameMustBeADomainName() {
    VireoConfig d = ConfigLoader.defaults();
    assertThatThrownBy(
            () ->
                new VireoConfig(
                    "not valid", d.listen(), d.spool(), d.limits(), d.relay(), d.delivery()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
