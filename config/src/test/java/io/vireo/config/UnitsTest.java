package io.vireo.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Sizes and durations as written in vireo.yaml. */
class UnitsTest {

  @ParameterizedTest
  @CsvSource({
    "1, 1",
    "512B, 512",
    "1KB, 1024",
    "1kb, 1024",
    "50MB, 52428800",
    "50 MB, 52428800",
    "2GB, 2147483648",
    "1048576, 1048576",
    "8000000000GB, 8589934592000000000"
  })
  void parsesSizes(String text, long bytes) {
    assertThat(Sizes.parse(text)).isEqualTo(bytes);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "fifty | ",
        "0 | must be greater than zero",
        "0MB | must be greater than zero",
        "-5MB | ",
        "1.5MB | ",
        "5TB | unknown unit \"TB\"",
        "5MiB | unknown unit \"MiB\"",
        "5M | unknown unit \"M\"",
        "9000000000GB | too large",
        "99999999999999999999 | "
      })
  void rejectsBadSizes(String text, String reason) {
    assertThatThrownBy(() -> Sizes.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertThat(e.getMessage()).isEqualTo(reason));
  }

  @ParameterizedTest
  @CsvSource({
    "1, 1B",
    "1000, 1000B",
    "1024, 1KB",
    "1536, 1536B",
    "52428800, 50MB",
    "3221225472, 3GB"
  })
  void formatsSizesInTheLargestExactUnit(long bytes, String text) {
    assertThat(Sizes.format(bytes)).isEqualTo(text);
    assertThat(Sizes.parse(text)).isEqualTo(bytes);
  }

  @ParameterizedTest
  @CsvSource({
    "250ms, PT0.25S",
    "30s, PT30S",
    "5m, PT5M",
    "5M, PT5M",
    "2h, PT2H",
    "5d, PT120H",
    "90 s, PT1M30S"
  })
  void parsesDurations(String text, Duration expected) {
    assertThat(Durations.parse(text)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "300 | a unit is required",
        "5w | unknown unit \"w\"",
        "5min | unknown unit \"min\"",
        "1h30m | ",
        "0s | must be greater than zero",
        "-1s | ",
        "1.5h | ",
        "999999999999999999d | too large"
      })
  void rejectsBadDurations(String text, String reason) {
    assertThatThrownBy(() -> Durations.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertThat(e.getMessage()).isEqualTo(reason));
  }

  @ParameterizedTest
  @CsvSource({
    "PT0.25S, 250ms",
    "PT1S, 1s",
    "PT90S, 90s",
    "PT5M, 5m",
    "PT1H, 1h",
    "PT48H, 2d",
    "PT1.5S, 1500ms"
  })
  void formatsDurationsInTheLargestExactUnit(Duration duration, String text) {
    assertThat(Durations.format(duration)).isEqualTo(text);
    assertThat(Durations.parse(text)).isEqualTo(duration);
  }

  @ParameterizedTest
  @ValueSource(strings = {"PT0.0000001S", "PT-1S"})
  void refusesToFormatDurationsTheFileCannotExpress(Duration duration) {
    assertThatThrownBy(() -> Durations.format(duration))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
