package io.vireo.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Message rates as written in vireo.yaml. */
class RateTest {

  @ParameterizedTest
  @CsvSource({
    "100/s, 100",
    "10/m, 0.16666666666666666",
    "3600/h, 1",
    "864/d, 0.01",
    "2.5/s, 2.5",
    "100 / S, 100",
    "' 7/M ', 0.11666666666666667",
    "1/d, 1.1574074074074073E-5",
    "1000000000/s, 1e9"
  })
  void parsesCountsPerUnit(String text, double perSecond) {
    Rate rate = Rate.parse(text);
    assertThat(rate.perSecond()).isEqualTo(perSecond);
    assertThat(rate.isUnlimited()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"unlimited", "Unlimited", " UNLIMITED "})
  void parsesUnlimited(String text) {
    assertThat(Rate.parse(text)).isEqualTo(Rate.unlimited());
    assertThat(Rate.parse(text).isUnlimited()).isTrue();
    assertThat(Rate.unlimited().perSecond()).isEqualTo(Double.POSITIVE_INFINITY);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "fast | ",
        "100 | a unit is required, e.g. 100/s",
        "100/ | a unit is required, e.g. 100/s",
        "0/s | must be greater than zero",
        "0.0/m | must be greater than zero",
        "-5/s | ",
        "5/w | unknown unit \"w\"",
        "5/sec | unknown unit \"sec\"",
        "1e3/s | ",
        "/s | ",
        "1/2/s | ",
        "0.5/d | below the minimum of 1/d",
        "2000000000/s | above 1000000000/s; write unlimited",
        "infinity | "
      })
  void rejectsBadRates(String text, String reason) {
    assertThatThrownBy(() -> Rate.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertThat(e.getMessage()).isEqualTo(reason));
  }

  @ParameterizedTest
  @CsvSource({
    "100/s, 100/s",
    "6000/m, 100/s",
    "10/m, 10/m",
    "3600/h, 1/s",
    "7/h, 7/h",
    "1/d, 1/d",
    "2.5/s, 150/m",
    "2.5/m, 150/h",
    "0.5/s, 30/m",
    "0.00001234/s, 0.00001234/s",
    "1.5/d, 0.00001736111111111111/s",
    "unlimited, unlimited"
  })
  void printsTheShortestWholeSpellingThatParsesBackExactly(String text, String printed) {
    Rate rate = Rate.parse(text);
    assertThat(rate.toString()).isEqualTo(printed);
    assertThat(Rate.parse(rate.toString())).isEqualTo(rate);
  }

  @ParameterizedTest
  @ValueSource(doubles = {1.0 / 3, 0.123456789, 12345.678, 2e-5, 999_999_999.5, Math.PI})
  void ratesBuiltInCodeRoundTripThroughText(double perSecond) {
    Rate rate = new Rate(perSecond);
    assertThat(Rate.parse(rate.toString())).isEqualTo(rate);
  }

  @Test
  void constructorRefusesRatesOutsideTheRange() {
    for (double bad : new double[] {0, -1, Double.NaN, 1e-6, 2e9, Double.NEGATIVE_INFINITY}) {
      assertThatThrownBy(() -> new Rate(bad))
          .as("%s", bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
