package io.vireo.relay.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.queue.testing.ManualClock;
import io.vireo.relay.auth.LoginThrottle.Verdict;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Throttling and lock-out, with time moved by hand. */
class LoginThrottleTest {
  private final ManualClock clock = new ManualClock();
  private final LoginThrottle throttle =
      new LoginThrottle(3, Duration.ofSeconds(10), 5, Duration.ofMinutes(15), clock);

  @Test
  void failuresBelowTheThresholdCostNothing() {
    throttle.failed("user a");
    throttle.failed("user a");
    assertThat(throttle.check("user a")).isInstanceOf(Verdict.Allowed.class);
    assertThat(throttle.check("user b")).isInstanceOf(Verdict.Allowed.class);
  }

  @Test
  void afterThreeFailuresEachAttemptWaitsTheDelayThenAfterFiveTheKeyIsLockedOut() {
    for (int i = 0; i < 3; i++) {
      throttle.failed("user a");
    }
    assertThat(throttle.check("user a")).isEqualTo(new Verdict.Throttled(Duration.ofSeconds(10)));
    clock.advance(Duration.ofSeconds(9));
    assertThat(throttle.check("user a")).isEqualTo(new Verdict.Throttled(Duration.ofSeconds(1)));
    clock.advance(Duration.ofSeconds(1));
    assertThat(throttle.check("user a")).isInstanceOf(Verdict.Allowed.class);

    throttle.failed("user a");
    throttle.failed("user a");
    assertThat(throttle.failures("user a")).isEqualTo(5);
    assertThat(throttle.check("user a"))
        .isEqualTo(new Verdict.LockedOut(Duration.ofMinutes(15)));
    clock.advance(Duration.ofMinutes(14));
    assertThat(throttle.check("user a")).isInstanceOf(Verdict.LockedOut.class);
    clock.advance(Duration.ofMinutes(1));
    assertThat(throttle.check("user a")).isInstanceOf(Verdict.Allowed.class);
    assertThat(throttle.failures("user a")).isZero();
  }

  @Test
  void successForgetsTheFailuresOfThatKeyOnly() {
    for (int i = 0; i < 3; i++) {
      throttle.failed("user a");
      throttle.failed("address 192.0.2.1");
    }
    throttle.succeeded("user a");
    assertThat(throttle.check("user a")).isInstanceOf(Verdict.Allowed.class);
    assertThat(throttle.check("address 192.0.2.1")).isInstanceOf(Verdict.Throttled.class);
  }

  @Test
  void failuresOlderThanTheLockoutDurationAreForgotten() {
    throttle.failed("user a");
    throttle.failed("user a");
    clock.advance(Duration.ofMinutes(16));
    throttle.failed("user a");
    assertThat(throttle.failures("user a")).isEqualTo(1);
  }

  @Test
  void ipv6ClientsCountByTheirSlash64AndIpv4ByAddress() {
    assertThat(LoginThrottle.addressKey(InetAddress.ofLiteral("2001:db8:1:2:aaaa::1")))
        .isEqualTo(LoginThrottle.addressKey(InetAddress.ofLiteral("2001:db8:1:2:bbbb::2")))
        .isEqualTo("address 2001:db8:1:2:0:0:0:0/64");
    assertThat(LoginThrottle.addressKey(InetAddress.ofLiteral("2001:db8:1:3::1")))
        .isNotEqualTo(LoginThrottle.addressKey(InetAddress.ofLiteral("2001:db8:1:2::1")));
    assertThat(LoginThrottle.addressKey(InetAddress.ofLiteral("192.0.2.1")))
        .isEqualTo("address 192.0.2.1")
        .isNotEqualTo(LoginThrottle.addressKey(InetAddress.ofLiteral("192.0.2.2")));
  }

  @Test
  void theNumberOfKeysRememberedIsBounded() {
    LoginThrottle small =
        new LoginThrottle(1, Duration.ofSeconds(10), 1, Duration.ofMinutes(15), clock, 100);
    for (int i = 0; i < 10_000; i++) {
      small.failed("user guess" + i);
    }
    long remembered =
        java.util.stream.IntStream.range(0, 10_000)
            .filter(i -> small.failures("user guess" + i) > 0)
            .count();
    assertThat(remembered).isLessThanOrEqualTo(100);
  }

  @Test
  void aReloadKeepsTheFailuresAndNewSettingsJudgeThem() {
    for (int i = 0; i < 4; i++) {
      throttle.failed("user a");
    }
    assertThat(throttle.withLimits(3, Duration.ofSeconds(10), 5, Duration.ofMinutes(15)))
        .isSameAs(throttle);

    // Four failures: throttled before, locked out under a lock-out after four.
    LoginThrottle stricter =
        throttle.withLimits(3, Duration.ofSeconds(10), 4, Duration.ofMinutes(15));
    assertThat(stricter.failures("user a")).isEqualTo(4);
    assertThat(stricter.check("user a")).isEqualTo(new Verdict.LockedOut(Duration.ofMinutes(15)));
    assertThat(throttle.check("user a")).isInstanceOf(Verdict.Throttled.class);

    // A failure counted through either one counts for both.
    throttle.failed("user a");
    assertThat(stricter.failures("user a")).isEqualTo(5);

    // A shorter lock-out forgets at once what it would have forgotten by now.
    clock.advance(Duration.ofMinutes(6));
    LoginThrottle shorter =
        stricter.withLimits(3, Duration.ofSeconds(10), 4, Duration.ofMinutes(5));
    assertThat(shorter.check("user a")).isInstanceOf(Verdict.Allowed.class);
    assertThat(shorter.failures("user a")).isZero();
    shorter.failed("user a");
    assertThat(shorter.failures("user a")).isEqualTo(1);
  }
}
