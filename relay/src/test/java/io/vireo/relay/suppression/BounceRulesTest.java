package io.vireo.relay.suppression;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.queue.MessageId;
import io.vireo.queue.testing.ManualClock;
import io.vireo.relay.events.EventType;
import io.vireo.relay.events.RecipientEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which remote answers suppress an address. */
class BounceRulesTest {
  private static final Instant T = Instant.parse("2026-12-02T10:00:00Z");
  private static final String RELAY = "mx.example.net[192.0.2.1]:25";

  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "550 | 5.1.1 | true",
        "552 | 5.2.2 | true",
        "550 | 5.0.0 | true",
        "553 | 5.0.0 | true",
        "554 | 5.0.0 | false",
        "550 | 5.7.1 | false",
        "554 | 5.6.0 | false",
        "451 | 4.1.1 | false",
      })
  void hardBounces(int code, String dsn, boolean hard) {
    assertThat(BounceRules.isHard(code, dsn)).isEqualTo(hard);
  }

  @Test
  void aHardBounceFromTheRemoteSuppressesALocalVerdictDoesNot() throws Exception {
    try (SuppressionList list = SuppressionList.open(dir.resolve("s"), Duration.ZERO, new ManualClock(T))) {
      BounceRules rules = new BounceRules(list, 0, Duration.ofDays(1));
      rules.publish(event(EventType.BOUNCED, "a@x.test", null, "550 5.1.10 null MX", "5.1.10", 1));
      assertThat(list.isSuppressed("a@x.test")).isFalse();
      rules.publish(event(EventType.BOUNCED, "a@x.test", RELAY, "550 5.1.1 unknown", "5.1.1", 1));
      assertThat(list.find("a@x.test").orElseThrow().reason()).isEqualTo("hard bounce: 550 5.1.1 unknown");
    }
  }

  @Test
  void softBouncesCountOncePerMessageWithinTheWindow() throws Exception {
    try (SuppressionList list = SuppressionList.open(dir.resolve("s"), Duration.ZERO, new ManualClock(T))) {
      BounceRules rules = new BounceRules(list, 3, Duration.ofHours(1));
      String full = "452 4.2.2 mailbox full";
      rules.publish(event(EventType.DEFERRED, "s@x.test", RELAY, full, "4.2.2", 1));
      rules.publish(event(EventType.DEFERRED, "s@x.test", RELAY, full, "4.2.2", 1));
      rules.publish(event(EventType.DEFERRED, "s@x.test", RELAY, full, "4.2.2", 2, T.plus(Duration.ofMinutes(30))));
      assertThat(list.isSuppressed("s@x.test")).as("two messages").isFalse();
      // The first is out of the window by now.
      rules.publish(event(EventType.DEFERRED, "s@x.test", RELAY, full, "4.2.2", 3, T.plus(Duration.ofMinutes(61))));
      assertThat(list.isSuppressed("s@x.test")).isFalse();
      rules.publish(event(EventType.DEFERRED, "s@x.test", RELAY, full, "4.2.2", 4, T.plus(Duration.ofMinutes(62))));
      assertThat(list.find("s@x.test").orElseThrow().reason()).startsWith("3 soft bounces within PT1H");
      rules.publish(event(EventType.DEFERRED, "t@x.test", null, "451 4.4.1 connection refused", "4.4.1", 5));
    }
  }

  private static RecipientEvent event(
      EventType type, String rcpt, String relay, String reply, String dsn, int message) {
    return event(type, rcpt, relay, reply, dsn, message, T);
  }

  private static RecipientEvent event(
      EventType type, String rcpt, String relay, String reply, String dsn, int message, Instant time) {
    return new RecipientEvent(
        type, new MessageId("01M8VDTCBZ00006Y9W9" + message), rcpt, "app@x.test", time, relay, reply, dsn, null);
  }
}
