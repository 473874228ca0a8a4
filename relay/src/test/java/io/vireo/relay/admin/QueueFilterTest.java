package io.vireo.relay.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vireo.queue.RecipientState;
import io.vireo.relay.http.QueryStrings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The query parameters of {@code GET /v1/queue} and the queue operations' selections. */
class QueueFilterTest {
  @Test
  void readsEveryParameter() {
    QueueFilter filter =
        QueueFilter.parse(
            Map.of(
                "sender", "Alice",
                "recipient", "B@X",
                "domain", "X.test",
                "state", "deferred",
                "older-than", "2h",
                "limit", "10",
                "after", "01M8VDTCBZ00006Y9W9D"));
    assertThat(filter.sender()).isEqualTo("alice");
    assertThat(filter.recipient()).isEqualTo("b@x");
    assertThat(filter.domain()).isEqualTo("x.test");
    assertThat(filter.state()).isEqualTo(RecipientState.DEFERRED);
    assertThat(filter.olderThan()).isEqualTo(Duration.ofHours(2));
    assertThat(filter.limit()).isEqualTo(10);
    assertThat(filter.after().value()).isEqualTo("01M8VDTCBZ00006Y9W9D");
  }

  @Test
  void refusesWhatItCannotReadNamingTheParameter() {
    assertThatThrownBy(() -> QueueFilter.parse(Map.of("limit", "0")))
        .hasMessageContaining("limit");
    assertThatThrownBy(() -> QueueFilter.parse(Map.of("older-than", "soon")))
        .hasMessageContaining("older-than");
    assertThatThrownBy(() -> QueueFilter.parse(Map.of("state", "delivered")))
        .hasMessageContaining("state must be pending, deferred, failed or held");
    assertThatThrownBy(() -> QueueFilter.parse(Map.of("after", "x")))
        .hasMessageContaining("after must be a queue id");
    assertThatThrownBy(() -> QueueFilter.parse(Map.of("colour", "red")))
        .hasMessageContaining("unknown parameter: colour");
    assertThatThrownBy(() -> QueryStrings.parse("a=1&a=2")).hasMessageContaining("given twice: a");
  }

  @Test
  void aSelectionNamesExactlyOneTarget() {
    assertThat(QueueSelection.parse(Map.of("domain", "X.Test")))
        .isEqualTo(QueueSelection.Match.domain("x.test"));
    assertThat(QueueSelection.parse(Map.of("all", "true"))).isEqualTo(new QueueSelection.All());
    assertThatThrownBy(() -> QueueSelection.parse(Map.of()))
        .hasMessage("name exactly one of id=ID, a filter (domain=, sender=, recipient=) or all=true");
    assertThatThrownBy(() -> QueueSelection.parse(Map.of("all", "true", "domain", "x.test")))
        .hasMessage("name exactly one of id=ID, a filter (domain=, sender=, recipient=) or all=true");
    assertThatThrownBy(() -> QueueSelection.parse(Map.of("id", "nope")))
        .hasMessage("not a queue id: nope");
  }
}
