package io.vireo.relay.delivery.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.config.BackoffConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A destination's backoff, with time given by hand. */
class BackoffTest {
  @Test
  void backoffDoublesUpToItsMaximumAndResetsOnSuccess() {
    Backoff backoff = new Backoff(new BackoffConfig(Duration.ofSeconds(30), Duration.ofMinutes(2)));

    assertThat(backoff.fail()).isEqualTo(Duration.ofSeconds(30));
    assertThat(backoff.fail()).isEqualTo(Duration.ofSeconds(60));
    assertThat(backoff.fail()).isEqualTo(Duration.ofSeconds(120));
    assertThat(backoff.fail()).isEqualTo(Duration.ofSeconds(120));
    assertThat(backoff.reset()).isTrue();
    assertThat(backoff.reset()).isFalse();
    assertThat(backoff.fail()).isEqualTo(Duration.ofSeconds(30));
  }
}
