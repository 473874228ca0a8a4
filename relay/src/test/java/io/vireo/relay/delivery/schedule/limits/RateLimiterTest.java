package io.vireo.relay.delivery.schedule.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.config.Rate;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The local rate limiter, with time given by hand. */
class RateLimiterTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void rateLimiterHandsOutEvenlySpacedSlots() {
    RateLimiter limiter = new RateLimiter(new Rate(100));

    assertThat(limiter.reserve(T0)).isZero();
    assertThat(limiter.reserve(T0)).isEqualTo(Duration.ofMillis(10));
    assertThat(limiter.reserve(T0)).isEqualTo(Duration.ofMillis(20));
    // After a quiet spell there is no saved-up burst: the next message goes now, then 10 ms on.
    Instant later = T0.plusSeconds(5);
    assertThat(limiter.reserve(later)).isZero();
    assertThat(limiter.reserve(later)).isEqualTo(Duration.ofMillis(10));
  }

  @Test
  void unlimitedRateNeverWaits() {
    RateLimiter limiter = new RateLimiter(Rate.unlimited());
    for (int i = 0; i < 100; i++) {
      assertThat(limiter.reserve(T0)).isZero();
    }
  }
}
