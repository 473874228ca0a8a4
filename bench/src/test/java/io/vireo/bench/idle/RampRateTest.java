package io.vireo.bench.idle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RampRateTest {
  @Test
  void parsesPerSecondPerMinuteAndUnlimited() {
    assertThat(RampRate.parse("2000/s").perSecond()).isEqualTo(2000);
    assertThat(RampRate.parse("120/m").perSecond()).isEqualTo(2);
    assertThat(RampRate.parse("500").perSecond()).isEqualTo(500);
    assertThat(RampRate.parse("Unlimited")).isEqualTo(RampRate.UNLIMITED);
  }

  @Test
  void spacesConnectionStartsEvenly() {
    RampRate rate = RampRate.parse("2000/s");
    assertThat(rate.startOffsetNanos(0)).isZero();
    assertThat(rate.startOffsetNanos(2000)).isEqualTo(1_000_000_000L);
    assertThat(RampRate.UNLIMITED.startOffsetNanos(10_000)).isZero();
  }

  @Test
  void rejectsZeroNegativeAndUnknownUnits() {
    assertThatThrownBy(() -> RampRate.parse("0/s")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RampRate.parse("-5/s")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RampRate.parse("5/h")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RampRate.parse("fast")).isInstanceOf(IllegalArgumentException.class);
  }
}
