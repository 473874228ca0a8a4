package io.vireo.relay.delivery.outcome;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.relay.protocol.SmtpReply;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Reading replies: enhanced status codes, made-up replies. */
class RepliesTest {

  @Test
  void statusComesFromTheReplyOrItsClass() {
    assertThat(DsnStatus.of(SmtpReply.of(550, "5.1.1", "No such user"))).isEqualTo("5.1.1");
    assertThat(DsnStatus.of(SmtpReply.of(550, "No such user"))).isEqualTo("5.0.0");
    assertThat(DsnStatus.of(SmtpReply.of(250, "Ok"))).isEqualTo("2.0.0");
    assertThat(DsnStatus.ofClass('4', SmtpReply.of(354, "odd"))).isEqualTo("4.0.0");
    assertThat(DsnStatus.ofClass('4', SmtpReply.of(451, "4.3.0", "later"))).isEqualTo("4.3.0");
  }

  @Test
  void statusOfARecordedFailureIsReadBackFromItsText() {
    assertThat(DsnStatus.ofRecordedFailure("550 5.1.10 Recipient address has null MX"))
        .isEqualTo("5.1.10");
    assertThat(DsnStatus.ofRecordedFailure("451 4.4.7 Delivery time expired")).isEqualTo("4.4.7");
    assertThat(DsnStatus.ofRecordedFailure("554 Transaction failed")).isEqualTo("5.0.0");
    assertThat(DsnStatus.ofRecordedFailure("something else")).isEqualTo("5.0.0");
    assertThat(DsnStatus.ofRecordedFailure(null)).isEqualTo("5.0.0");
  }

  @Test
  void madeUpRepliesCarryTheStatusTheirOutcomeDeserves() {
    assertThat(LocalReplies.nullMx("a.test").text()).startsWith("556 5.1.10 ");
    assertThat(LocalReplies.noSuchDomain("a.test").text()).startsWith("550 5.1.2 ");
    assertThat(LocalReplies.unroutable("a.test", "no MX host has an address record", true).text())
        .startsWith("550 5.4.4 ");
    assertThat(LocalReplies.dnsTemporaryFailure("a.test", "SERVFAIL").text())
        .startsWith("451 4.4.3 ");
    assertThat(
            LocalReplies.expired(Duration.ofDays(5), SmtpReply.of(451, "4.3.0", "later")).text())
        .isEqualTo(
            "451 4.4.7 Delivery time expired: undeliverable for 5d; last error: 451 4.3.0 later");
    assertThat(LocalReplies.human(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(LocalReplies.human(Duration.ofHours(4))).isEqualTo("4h");
  }

  @Test
  void remoteMtaIsTheHostNameOfTheRelay() {
    assertThat(Outcomes.remoteMta("mx1.example.test[192.0.2.1]:25")).isEqualTo("mx1.example.test");
    assertThat(Outcomes.remoteMta(null)).isNull();
  }
}
