package io.vireo.relay.delivery.outcome.dsn;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.queue.BodyType;
import io.vireo.queue.Envelope;
import io.vireo.queue.MessageId;
import io.vireo.queue.Notify;
import io.vireo.queue.Recipient;
import io.vireo.queue.Ret;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NotifyPolicyTest {
  private static final MessageId ID = new MessageId("01JABCDEFGHJKMNPQRST");

  private static Envelope envelope(String sender, Recipient recipient) {
    return new Envelope(
        ID,
        sender,
        List.of(recipient),
        BodyType.SEVEN_BIT,
        false,
        Ret.UNSPECIFIED,
        null,
        Instant.EPOCH,
        "127.0.0.1",
        "client.test");
  }

  private static boolean owed(Set<Notify> notify, DsnAction action) {
    Recipient recipient = new Recipient("bob@example.test", notify, null);
    return NotifyPolicy.isOwed(envelope("alice@example.test", recipient), recipient, action);
  }

  @Test
  void nullSenderIsNeverOwedAnything() {
    Recipient recipient = new Recipient("bob@example.test", EnumSet.allOf(Notify.class), null);
    Envelope bounce = envelope("", recipient);
    for (DsnAction action : DsnAction.values()) {
      assertThat(NotifyPolicy.isOwed(bounce, recipient, action)).as(action.name()).isFalse();
    }
  }

  @Test
  void notifyNeverSuppressesEveryReport() {
    for (DsnAction action : DsnAction.values()) {
      assertThat(owed(Set.of(Notify.NEVER), action)).as(action.name()).isFalse();
    }
  }

  @Test
  void absentNotifyMeansFailureAndDelayButNotSuccess() {
    assertThat(owed(Set.of(), DsnAction.FAILED)).isTrue();
    assertThat(owed(Set.of(), DsnAction.DELAYED)).isTrue();
    assertThat(owed(Set.of(), DsnAction.DELIVERED)).isFalse();
    assertThat(owed(Set.of(), DsnAction.RELAYED)).isFalse();
    assertThat(owed(Set.of(), DsnAction.EXPANDED)).isFalse();
  }

  @Test
  void explicitNotifyListsAreHonouredExactly() {
    assertThat(owed(Set.of(Notify.SUCCESS), DsnAction.FAILED)).isFalse();
    assertThat(owed(Set.of(Notify.SUCCESS), DsnAction.DELAYED)).isFalse();
    assertThat(owed(Set.of(Notify.SUCCESS), DsnAction.DELIVERED)).isTrue();
    assertThat(owed(Set.of(Notify.SUCCESS), DsnAction.RELAYED)).isTrue();
    assertThat(owed(Set.of(Notify.FAILURE), DsnAction.FAILED)).isTrue();
    assertThat(owed(Set.of(Notify.FAILURE), DsnAction.DELAYED)).isFalse();
    assertThat(owed(Set.of(Notify.DELAY), DsnAction.DELAYED)).isTrue();
    assertThat(owed(Set.of(Notify.DELAY), DsnAction.FAILED)).isFalse();
    assertThat(owed(Set.of(Notify.FAILURE, Notify.DELAY), DsnAction.DELAYED)).isTrue();
  }
}
