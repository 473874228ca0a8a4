package io.vireo.relay.api;

import io.vireo.relay.compose.Draft;
import io.vireo.relay.events.Labels;
import java.util.List;
import java.util.Objects;

/** One parsed submission: what to send and how to label it. A closed set of the two kinds. */
sealed interface SendRequest {
  Labels labels();

  /** {@code POST /v1/messages}: Vireo composes the message. */
  record Compose(Draft draft, Labels labels) implements SendRequest {
    public Compose {
      Objects.requireNonNull(draft, "draft");
      Objects.requireNonNull(labels, "labels");
    }
  }

  /** {@code POST /v1/messages/raw}: a complete message and its envelope. */
  record Raw(String from, List<String> to, byte[] message, Labels labels) implements SendRequest {
    public Raw {
      Objects.requireNonNull(from, "from");
      to = List.copyOf(to);
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(labels, "labels");
    }
  }
}
