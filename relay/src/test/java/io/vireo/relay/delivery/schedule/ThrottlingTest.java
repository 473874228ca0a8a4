package io.vireo.relay.delivery.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.relay.protocol.SmtpReply;
import org.junit.jupiter.api.Test;

/** Reading replies for throttling signals. */
class ThrottlingTest {
  @Test
  void throttlingIsA421APolicyStatusOrRateWording() {
    assertThat(Throttling.signals(SmtpReply.of(421, "4.3.2", "Service shutting down"))).isTrue();
    assertThat(Throttling.signals(SmtpReply.of(450, "4.7.28", "Unusual rate of mail"))).isTrue();
    assertThat(Throttling.signals(SmtpReply.of(451, "Too many messages, slow down")))
        .isTrue();
    assertThat(Throttling.signals(SmtpReply.of(452, "4.2.2", "Rate exceeded"))).isTrue();

    assertThat(Throttling.signals(SmtpReply.of(451, "4.3.0", "Temporary local problem")))
        .isFalse();
    assertThat(Throttling.signals(SmtpReply.of(450, "4.2.0", "Greylisted, generate less")))
        .isFalse();
    assertThat(Throttling.signals(SmtpReply.of(550, "5.7.1", "Too many recipients"))).isFalse();
    assertThat(Throttling.signals(SmtpReply.of(452, "4.5.3", "Too many recipients"))).isFalse();
  }
}
