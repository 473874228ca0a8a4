package io.vireo.relay.api;

import io.vireo.queue.MessageId;
import io.vireo.relay.events.Labels;
import java.util.Optional;

/** Looks up the labels a message was submitted with; empty for SMTP mail and unlabelled API mail. */
@FunctionalInterface
public interface SubmissionLabels {
  Optional<Labels> labels(MessageId id);
}
