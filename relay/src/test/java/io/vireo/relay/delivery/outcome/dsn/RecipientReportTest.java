package io.vireo.relay.delivery.outcome.dsn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.queue.Recipient;
import org.junit.jupiter.api.Test;

class RecipientReportTest {
  private static final Recipient BOB = Recipient.of("bob@example.test");

  @Test
  void statusMustBeAnEnhancedCode() {
    assertThatThrownBy(() -> RecipientReport.failed(BOB, "550", null, null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RecipientReport.failed(BOB, "5.1.1234", null, null, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void statusClassMustFitTheAction() {
    assertThatThrownBy(() -> RecipientReport.failed(BOB, "2.0.0", null, null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RecipientReport.delayed(BOB, "5.1.1", null, null, null, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new RecipientReport(BOB, DsnAction.DELIVERED, "4.4.1", null, null, null, null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void expiredTransientFailureKeepsItsFourClassCode() {
    assertThat(RecipientReport.failed(BOB, "4.4.7", null, null, null).status()).isEqualTo("4.4.7");
  }
}
