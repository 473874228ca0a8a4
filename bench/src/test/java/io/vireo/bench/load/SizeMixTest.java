package io.vireo.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class SizeMixTest {

  @Test
  void parsesPercentagesAndFractions() {
    assertThat(SizeMix.parse("1MB:1%")).isEqualTo(new SizeMix(1 << 20, 10_000));
    assertThat(SizeMix.parse("64KB:0.05")).isEqualTo(new SizeMix(64 << 10, 50_000));
  }

  @Test
  void rejectsSharesOutsideZeroToOneHundredPercent() {
    assertThatThrownBy(() -> SizeMix.parse("1MB:0%")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SizeMix.parse("1MB:150%")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SizeMix.parse("1MB")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void appliesToExactlyItsShareSpreadEvenly() {
    SizeMix onePercent = SizeMix.parse("1MB:1%");
    assertThat(LongStream.range(0, 10_000).filter(onePercent::appliesTo).count()).isEqualTo(100);
    assertThat(LongStream.range(0, 100).filter(onePercent::appliesTo)).containsExactly(99L);
    SizeMix quarter = SizeMix.parse("1MB:25%");
    assertThat(LongStream.range(0, 12).filter(quarter::appliesTo)).containsExactly(3L, 7L, 11L);
  }
}
