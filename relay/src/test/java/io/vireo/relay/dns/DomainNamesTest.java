package io.vireo.relay.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DomainNamesTest {

  @ParameterizedTest
  @CsvSource({
    "example.test, example.test",
    "Example.TEST, example.test",
    "example.test., example.test",
    "'  mail.example.test  ', mail.example.test",
    "Bücher.example, xn--bcher-kva.example",
    "xn--BCHER-kva.example, xn--bcher-kva.example",
    "例え.テスト, xn--r8jz45g.xn--zckzah",
    "mx_1.example.test, mx_1.example.test"
  })
  void normalisesToLowerCaseALabelsWithoutTrailingDot(String written, String normalised) {
    assertThat(DomainNames.normalize(written)).isEqualTo(normalised);
  }

  @Test
  void treatsIdeographicFullStopsAsLabelSeparators() {
    // UTS #46 / RFC 3490 section 3.1: U+3002 separates labels like "." does.
    assertThat(DomainNames.normalize("bücher\u3002example")).isEqualTo("xn--bcher-kva.example");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"", " ", ".", "..", "a..b", ".example.test", "bad name.test", "semi;colon.test"})
  void rejectsNamesThatCannotBeMailDomains(String written) {
    assertThatIllegalArgumentException().isThrownBy(() -> DomainNames.normalize(written));
  }

  @Test
  void rejectsOverlongLabelsAndNames() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> DomainNames.normalize("a".repeat(64) + ".test"));
    String longName = ("a".repeat(60) + ".").repeat(5) + "test";
    assertThatIllegalArgumentException().isThrownBy(() -> DomainNames.normalize(longName));
  }
}
