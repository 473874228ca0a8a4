package io.vireo.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KeySuggestionsTest {
  private static final List<String> LIMITS =
      List.of(
          "max-message-size",
          "max-recipients",
          "max-connections",
          "max-connections-per-ip",
          "max-errors");

  @ParameterizedTest
  @CsvSource(
      value = {
        "max_message_size, max-message-size",
        "maxMessageSize, max-message-size",
        "MAX-RECIPIENTS, max-recipients",
        "max-recipents, max-recipients",
        "max-conections, max-connections",
        "max-connections-per-host, ",
        "max-erorrs, max-errors",
        "timeout, "
      })
  void suggestsOnlyCloseKeys(String unknown, String expected) {
    assertThat(KeySuggestions.closest(unknown, LIMITS).orElse(null)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"via, via, 0", "vai, via, 1", "via, vias, 1", "abc, xyz, 3", "'', abc, 3"})
  void distanceCountsSwapsAsOneEdit(String a, String b, int distance) {
    assertThat(KeySuggestions.distance(a, b)).isEqualTo(distance);
  }
}
