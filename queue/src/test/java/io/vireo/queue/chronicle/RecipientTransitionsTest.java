package io.vireo.queue.chronicle;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.queue.MessageId;
import io.vireo.queue.MessageIdGenerator;
import io.vireo.queue.Recipient;
import io.vireo.queue.RecipientState;
import io.vireo.queue.RecipientStatus;
import io.vireo.queue.SpoolEvent;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RecipientTransitionsTest {
  private static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
  private static final MessageId ID =
      new MessageIdGenerator(Clock.fixed(T0, ZoneOffset.UTC)).next();
  private static final String RCPT = "user@example.com";
  private final RecipientStatus pending =
      new RecipientStatus(Recipient.of(RCPT), RecipientState.PENDING, 0, T0, null);

  @Test
  void deferralCountsAnAttemptAndSetsTheNextOne() {
    RecipientStatus next =
        RecipientTransitions.apply(
            pending, new SpoolEvent.Deferred(ID, RCPT, T0, T0.plusSeconds(300), "451 later"));

    assertThat(next)
        .isEqualTo(
            new RecipientStatus(
                Recipient.of(RCPT), RecipientState.DEFERRED, 1, T0.plusSeconds(300), "451 later"));
  }

  @Test
  void failureCountsAnAttemptAndLeavesNothingToRetry() {
    RecipientStatus next =
        RecipientTransitions.apply(pending, new SpoolEvent.Failed(ID, RCPT, T0, "550 no"));

    assertThat(next)
        .isEqualTo(
            new RecipientStatus(Recipient.of(RCPT), RecipientState.FAILED, 1, null, "550 no"));
  }

  @Test
  void bounceFinishesAFailureAndKeepsItsReason() {
    RecipientStatus failed =
        RecipientTransitions.apply(pending, new SpoolEvent.Failed(ID, RCPT, T0, "550 no"));
    RecipientStatus bounced =
        RecipientTransitions.apply(failed, new SpoolEvent.Bounced(ID, RCPT, T0, null));

    assertThat(bounced)
        .isEqualTo(
            new RecipientStatus(Recipient.of(RCPT), RecipientState.BOUNCED, 1, null, "550 no"));
    assertThat(bounced.state().isFinal()).isTrue();
  }

  @Test
  void finalStatesIgnoreLaterEvents() {
    RecipientStatus delivered =
        RecipientTransitions.apply(pending, new SpoolEvent.Delivered(ID, RCPT, T0, "mx", "250 ok"));

    assertThat(delivered.state()).isEqualTo(RecipientState.DELIVERED);
    assertThat(delivered.attempts()).isEqualTo(1);
    assertThat(RecipientTransitions.apply(delivered, new SpoolEvent.Failed(ID, RCPT, T0, "550")))
        .isSameAs(delivered);
    assertThat(
            RecipientTransitions.apply(delivered, new SpoolEvent.Deferred(ID, RCPT, T0, T0, "451")))
        .isSameAs(delivered);
  }
}
