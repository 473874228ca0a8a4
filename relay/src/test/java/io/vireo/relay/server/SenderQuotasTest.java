package io.vireo.relay.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.config.SenderLimits;
import io.vireo.queue.testing.ManualClock;
import io.vireo.relay.protocol.Replies;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class SenderQuotasTest {
  private static final InetAddress V4 = InetAddress.ofLiteral("192.0.2.1");
  private final ManualClock clock = new ManualClock();

  private SenderQuotas quotas(int messagesPerIp, int recipientsPerIp, int messagesPerUser) {
    return new SenderQuotas(limits(messagesPerIp, recipientsPerIp, messagesPerUser), clock);
  }

  private static SenderLimits limits(int messagesPerIp, int recipientsPerIp, int messagesPerUser) {
    return new SenderLimits(
        2, rate(messagesPerIp), rate(recipientsPerIp), rate(messagesPerUser), OptionalInt.of(1));
  }

  private static OptionalInt rate(int perMinute) {
    return perMinute == 0 ? OptionalInt.empty() : OptionalInt.of(perMinute);
  }

  @Test
  void aBucketAllowsABurstThenRefillsEvenlyUpToItsSize() {
    SenderQuotas quotas = quotas(6, 0, 0);
    for (int i = 0; i < 6; i++) {
      assertThat(quotas.takeMessage(V4, null)).isEmpty();
    }
    assertThat(quotas.takeMessage(V4, null)).contains(Replies.TOO_MANY_MESSAGES_FROM_ADDRESS);
    clock.advance(Duration.ofSeconds(9));
    assertThat(quotas.takeMessage(V4, null)).isPresent();
    clock.advance(Duration.ofSeconds(1));
    assertThat(quotas.takeMessage(V4, null)).isEmpty();
    assertThat(quotas.takeMessage(V4, null)).isPresent();
    // An hour later the bucket is full again, but no fuller.
    clock.advance(Duration.ofHours(1));
    for (int i = 0; i < 6; i++) {
      assertThat(quotas.takeMessage(V4, null)).isEmpty();
    }
    assertThat(quotas.takeMessage(V4, null)).isPresent();
  }

  @Test
  void anIpv6ClientCountsByItsSlash64() {
    SenderQuotas quotas = quotas(1, 0, 0);
    assertThat(quotas.takeMessage(InetAddress.ofLiteral("2001:db8:1:2::1"), null)).isEmpty();
    assertThat(quotas.takeMessage(InetAddress.ofLiteral("2001:db8:1:2:ffff::9"), null))
        .isPresent();
    assertThat(quotas.takeMessage(InetAddress.ofLiteral("2001:db8:1:3::1"), null)).isEmpty();
  }

  @Test
  void aRefusalForTheUserGivesTheAddressItsTokenBack() {
    SenderQuotas quotas = quotas(2, 0, 1);
    assertThat(quotas.takeMessage(V4, "alice")).isEmpty();
    assertThat(quotas.takeMessage(V4, "alice")).contains(Replies.TOO_MANY_MESSAGES_FOR_USER);
    // The address still has the token alice could not use.
    assertThat(quotas.takeMessage(V4, "bob")).isEmpty();
    assertThat(quotas.takeMessage(V4, null)).contains(Replies.TOO_MANY_MESSAGES_FROM_ADDRESS);
  }

  @Test
  void recipientRatesAreSeparateFromMessageRates() {
    SenderQuotas quotas = quotas(1, 0, 0);
    assertThat(quotas.takeMessage(V4, "alice")).isEmpty();
    for (int i = 0; i < 50; i++) {
      assertThat(quotas.takeRecipient(V4, null)).isEmpty();
    }
    assertThat(quotas.takeRecipient(V4, "alice")).isEmpty();
    assertThat(quotas.takeRecipient(V4, "alice")).contains(Replies.TOO_MANY_RECIPIENTS_FOR_USER);
  }

  @Test
  void userSessionsAreCountedAndClosingTwiceFreesOnePlace() {
    SenderQuotas quotas = quotas(0, 0, 0);
    Optional<SenderQuotas.UserSession> one = quotas.enter("alice");
    Optional<SenderQuotas.UserSession> two = quotas.enter("alice");
    assertThat(one).isPresent();
    assertThat(two).isPresent();
    assertThat(quotas.enter("alice")).isEmpty();
    assertThat(quotas.enter("bob")).isPresent();
    one.get().close();
    one.get().close();
    assertThat(quotas.sessionsOf("alice")).isEqualTo(1);
    assertThat(quotas.enter("alice")).isPresent();
  }

  @Test
  void aReloadKeepsTheCountsAndAChangedLimitAppliesToThem() {
    SenderQuotas quotas = quotas(4, 0, 0);
    for (int i = 0; i < 4; i++) {
      assertThat(quotas.takeMessage(V4, null)).isEmpty();
    }
    assertThat(quotas.withLimits(limits(4, 0, 0))).isSameAs(quotas);

    // Raised to 6: 4 used, 2 left at once.
    SenderQuotas raised = quotas.withLimits(limits(6, 0, 0));
    assertThat(raised.takeMessage(V4, null)).isEmpty();
    assertThat(raised.takeMessage(V4, null)).isEmpty();
    assertThat(raised.takeMessage(V4, null)).contains(Replies.TOO_MANY_MESSAGES_FROM_ADDRESS);

    // Lowered to 2 with 6 used: nothing left until the new rate refills one (after 30 s).
    SenderQuotas lowered = raised.withLimits(limits(2, 0, 0));
    assertThat(lowered.takeMessage(V4, null)).isPresent();
    clock.advance(Duration.ofSeconds(29));
    assertThat(lowered.takeMessage(V4, null)).isPresent();
    clock.advance(Duration.ofSeconds(2));
    assertThat(lowered.takeMessage(V4, null)).isEmpty();

    // The sessions of a user count across a reload too.
    Optional<SenderQuotas.UserSession> first = quotas.enter("alice");
    assertThat(first).isPresent();
    assertThat(lowered.sessionsOf("alice")).isEqualTo(1);
    first.get().close();
    assertThat(lowered.sessionsOf("alice")).isZero();
  }
}
