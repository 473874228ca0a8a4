package io.vireo.relay.delivery.outcome;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.config.RetryConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The retry schedule, with time given by hand. */
class RetryPolicyTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void retryDelaysFollowTheScheduleAndTheLastOneRepeats() {
    RetryPolicy retry =
        new RetryPolicy(
            new RetryConfig(
                List.of(Duration.ofMinutes(1), Duration.ofMinutes(5)), Duration.ofDays(5)),
            new Random(1));

    assertThat(retry.delayAfter(0)).isEqualTo(Duration.ofMinutes(1));
    assertThat(retry.delayAfter(1)).isEqualTo(Duration.ofMinutes(5));
    assertThat(retry.delayAfter(7)).isEqualTo(Duration.ofMinutes(5));
    assertThat(retry.nextAttempt(T0, 0, T0, 1.0)).isEqualTo(T0.plus(Duration.ofMinutes(1)));
  }

  @Test
  void jitterStaysWithinTenPercentAndVaries() {
    RetryPolicy retry =
        new RetryPolicy(
            new RetryConfig(List.of(Duration.ofMinutes(10)), Duration.ofDays(1)), new Random(3));
    double low = 2;
    double high = 0;
    for (int i = 0; i < 1000; i++) {
      double jitter = retry.jitter();
      low = Math.min(low, jitter);
      high = Math.max(high, jitter);
    }
    assertThat(low).isBetween(0.9, 0.95);
    assertThat(high).isBetween(1.05, 1.1);
  }

  @Test
  void theLastAttemptComesAtTheExpiryTimeNotAfter() {
    RetryPolicy retry =
        new RetryPolicy(
            new RetryConfig(List.of(Duration.ofHours(1)), Duration.ofMinutes(90)), new Random(1));
    Instant arrival = T0;

    assertThat(retry.nextAttempt(T0.plus(Duration.ofMinutes(60)), 1, arrival, 1.0))
        .isEqualTo(arrival.plus(Duration.ofMinutes(90)));
    assertThat(retry.expired(arrival, T0.plus(Duration.ofMinutes(89)))).isFalse();
    assertThat(retry.expired(arrival, T0.plus(Duration.ofMinutes(90)))).isTrue();
  }
}
