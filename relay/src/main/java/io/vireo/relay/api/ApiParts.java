package io.vireo.relay.api;

import io.vireo.queue.Spool;
import io.vireo.relay.events.EventHistory;
import io.vireo.relay.events.EventSink;
import io.vireo.relay.intake.MessageIntake;
import io.vireo.relay.suppression.SuppressionList;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the HTTP API uses of the rest of the relay.
 *
 * @param labels where the tags and metadata of submissions are kept ({@link LabelStore#open}); the
 *     server closes it
 * @param refusal why mail to an address is refused (422: the suppression list under {@code
 *     action: refuse}), empty to accept it
 * @param events where the API reports what it refuses ({@code suppressed} events)
 * @param history the event log's history of a message, for {@code GET /v1/messages/{id}}
 * @param suppressions the list {@code /v1/suppressions} shows and edits; empty when it is off
 */
public record ApiParts(
    MessageIntake intake,
    Spool spool,
    LabelStore labels,
    Function<String, Optional<String>> refusal,
    EventSink events,
    EventHistory history,
    Optional<SuppressionList> suppressions) {
  public ApiParts {
    Objects.requireNonNull(intake, "intake");
    Objects.requireNonNull(spool, "spool");
    Objects.requireNonNull(labels, "labels");
    Objects.requireNonNull(refusal, "refusal");
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(history, "history");
    Objects.requireNonNull(suppressions, "suppressions");
  }
}
