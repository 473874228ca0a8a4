package io.vireo.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Route and shaping lookups the delivery engine relies on. */
class DeliveryConfigTest {
  private static final DestinationLimits DEFAULTS =
      new DestinationLimits(20, Rate.unlimited(), 1000, Duration.ofSeconds(30));
  private static final DestinationLimits BIG =
      new DestinationLimits(5, new Rate(100), 100, Duration.ofSeconds(30));
  private static final DestinationLimits EXACT =
      new DestinationLimits(1, new Rate(1), 1, Duration.ofSeconds(1));
  private static final DestinationLimits ANY =
      new DestinationLimits(2, new Rate(2), 2, Duration.ofSeconds(2));

  private static DeliveryConfig withShaping(List<ShapingRule> shaping) {
    DeliveryConfig d = ConfigLoader.defaults().delivery();
    return new DeliveryConfig(
        d.port(),
        d.dns(),
        d.routes(),
        d.retry(),
        d.heloName(),
        d.maxConnections(),
        d.tls(),
        d.delayWarning(),
        DEFAULTS,
        shaping,
        d.backoff());
  }

  private static DeliveryConfig withRoutes(RouteConfig... routes) {
    DeliveryConfig d = ConfigLoader.defaults().delivery();
    return new DeliveryConfig(d.port(), d.dns(), List.of(routes), d.retry());
  }

  private static RouteConfig route(String pattern, int port) {
    return new RouteConfig(List.of(pattern), new HostPort("127.0.0.2", port));
  }

  @ParameterizedTest(name = "{0} ~ {1}: {2}")
  @CsvSource({
    "example.test, example.test, true",
    "example.test, EXAMPLE.Test, true",
    "example.test, example.test., true",
    "example.test, a.example.test, false",
    "example.test, xexample.test, false",
    "*.example.test, a.example.test, true",
    "*.example.test, a.b.example.test, true",
    "*.example.test, A.Example.Test., true",
    "*.example.test, example.test, false",
    "*.example.test, xexample.test, false",
    "*.example.test, .example.test, false",
    "*, anything.test, true",
    "*, localhost, true"
  })
  void routePatternsMatchExactlySubdomainsOrEverything(
      String pattern, String domain, boolean matches) {
    DeliveryConfig delivery = withRoutes(route(pattern, 2526));
    assertThat(delivery.routeFor(domain).isPresent()).isEqualTo(matches);
    assertThat(delivery.routes().getFirst().matches(domain)).isEqualTo(matches);
  }

  @Test
  void firstMatchingRouteWins() {
    DeliveryConfig delivery =
        withRoutes(route("special.test", 1), route("*.test", 2), route("*", 3));
    assertThat(delivery.routeFor("special.test").orElseThrow().via().port()).isEqualTo(1);
    assertThat(delivery.routeFor("other.test").orElseThrow().via().port()).isEqualTo(2);
    assertThat(delivery.routeFor("test").orElseThrow().via().port()).isEqualTo(3);
    assertThat(withRoutes(route("*.test", 2)).routeFor("example.com")).isEmpty();
    assertThat(ConfigLoader.defaults().delivery().routeFor("example.com")).isEmpty();
  }

  @Test
  void limitsFallBackToDefaultsWhenNoRuleMatches() {
    DeliveryConfig delivery =
        withShaping(List.of(new ShapingRule(List.of("*.bigmail.test"), BIG)));
    assertThat(delivery.limitsFor("small.test", List.of("mx.small.test."))).isSameAs(DEFAULTS);
    assertThat(delivery.limitsFor("bigmail.test", List.of())).isSameAs(DEFAULTS);
    assertThat(ConfigLoader.defaults().delivery().limitsFor("a.test", List.of()))
        .isEqualTo(ConfigLoader.defaults().delivery().defaults());
  }

  @Test
  void shapingMatchesTheRecipientDomainOrAnyMxHost() {
    DeliveryConfig delivery =
        withShaping(
            List.of(new ShapingRule(List.of("*.bigmail.test", "mx.provider.test"), BIG)));
    assertThat(delivery.limitsFor("eu.bigmail.test", List.of("mx.eu.test"))).isSameAs(BIG);
    // A hosted domain shares its provider's limits through the MX host name.
    assertThat(delivery.limitsFor("customer.test", List.of("mx0.other.test", "MX.Provider.test.")))
        .isSameAs(BIG);
    assertThat(delivery.limitsFor("customer.test", List.of("mx1.provider.test")))
        .isSameAs(DEFAULTS);
  }

  @Test
  void firstMatchingShapingRuleWins() {
    DeliveryConfig delivery =
        withShaping(
            List.of(
                new ShapingRule(List.of("exact.bigmail.test"), EXACT),
                new ShapingRule(List.of("*.bigmail.test"), BIG),
                new ShapingRule(List.of("*"), ANY)));
    assertThat(delivery.limitsFor("exact.bigmail.test", List.of())).isSameAs(EXACT);
    // The domain matches the second rule; the MX host matches the first, which comes first.
    assertThat(delivery.limitsFor("a.bigmail.test", List.of("exact.bigmail.test")))
        .isSameAs(EXACT);
    assertThat(delivery.limitsFor("a.bigmail.test", List.of("mx.a.test"))).isSameAs(BIG);
    assertThat(delivery.limitsFor("elsewhere.test", List.of())).isSameAs(ANY);
  }

  @Test
  void engineTuningIsReadFromTheFileAndDefaultsOtherwise() throws ConfigException {
    EngineTuning tuning =
        ConfigLoader.parse(
                """
                delivery:
                  tuning:
                    stop-grace: 30s
                    max-concurrent-lookups: 8
                """,
                "vireo.yaml")
            .delivery()
            .tuning();
    assertThat(tuning)
        .isEqualTo(new EngineTuning(Duration.ofSeconds(30), 8, 100));
    assertThat(ConfigLoader.defaults().delivery().tuning()).isEqualTo(EngineTuning.DEFAULTS);
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    "delivery:\n  tuning:\n    max-recipients-per-transaction: 0\n", "vireo.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("max-recipients-per-transaction");
  }

  @Test
  void loadedConfigAnswersTheSameLookups() throws ConfigException {
    DeliveryConfig delivery =
        ConfigLoader.parse(
                """
                delivery:
                  routes:
                    - { domains: ["*.internal.test"], via: "127.0.0.2:2526", tls: none }
                  shaping:
                    - { match: [mx.provider.test], connections: 3 }
                """,
                "vireo.yaml")
            .delivery();
    RouteConfig route = delivery.routeFor("hr.Internal.test").orElseThrow();
    assertThat(route.tls()).isEqualTo(TlsMode.NONE);
    assertThat(route.authentication()).isEmpty();
    assertThat(delivery.routeFor("internal.test")).isEmpty();
    assertThat(delivery.limitsFor("x.test", List.of("mx.provider.test")).connections())
        .isEqualTo(3);
    assertThat(delivery.limitsFor("x.test", List.of("mx.x.test")).connections()).isEqualTo(20);
  }
}
