package io.vireo.relay.api;

import io.vireo.queue.Recipient;
import io.vireo.relay.compose.ComposeException;
import io.vireo.relay.compose.Composed;
import io.vireo.relay.compose.MessageComposer;
import io.vireo.relay.events.EventSink;
import io.vireo.relay.suppression.SuppressionGate;
import java.time.Clock;
import io.vireo.relay.intake.MessageIntake;
import io.vireo.relay.intake.Stored;
import io.vireo.relay.intake.Submission;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Turns one parsed request into a stored message: composes it (or takes it raw), checks the key's
 * sender domains and the suppression list (a refusal is a {@code suppressed} event, as at RCPT),
 * and hands it to the {@link MessageIntake}, which
 * returns once the message is durable; the labels are stored before delivery hears of it.
 */
final class Submitter {
  /** An envelope address: local@domain, no spaces, brackets or controls (RFC 5321 section 4.1.2). */
  private static final Pattern ADDRESS = Pattern.compile("[^\\s<>@\\p{Cntrl}]{1,64}@[^\\s<>@\\p{Cntrl}]{1,255}");

  private final MessageIntake intake;
  private final MessageComposer composer;
  private final LabelStore labels;
  private final Function<String, Optional<String>> refusal;
  private final EventSink events;
  private final Clock clock;

  Submitter(MessageIntake intake, MessageComposer composer, ApiParts parts, Clock clock) {
    this.intake = Objects.requireNonNull(intake, "intake");
    this.composer = Objects.requireNonNull(composer, "composer");
    this.labels = parts.labels();
    this.refusal = parts.refusal();
    this.events = parts.events();
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Stores the message and answers 202 with its id, or the error that stopped it. */
  Answer submit(ApiKey key, SendRequest request, String clientAddress) {
    Composed message;
    try {
      message =
          switch (request) {
            case SendRequest.Compose compose -> composer.compose(compose.draft());
            case SendRequest.Raw raw -> new Composed(raw.from(), raw.to(), raw.message());
          };
    } catch (ComposeException e) {
      return Answer.of(ApiError.invalid(e.getMessage()));
    }
    for (String address : message.recipients()) {
      if (!ADDRESS.matcher(address).matches()) {
        return Answer.of(ApiError.invalid("not an address: " + address));
      }
    }
    if (!ADDRESS.matcher(message.sender()).matches()) {
      return Answer.of(ApiError.invalid("from: not an address: " + message.sender()));
    }
    if (!key.allowsSender(message.sender())) {
      return Answer.of(
          ApiError.senderNotAllowed(message.sender().substring(message.sender().indexOf('@') + 1)));
    }
    // Each suppressed recipient gets its event, as at RCPT; the first is named in the 422.
    String firstSuppressed = null;
    for (String address : message.recipients()) {
      Optional<String> reason = refusal.apply(address);
      if (reason.isPresent()) {
        events.publish(
            SuppressionGate.refused(message.sender(), address, reason.get(), clock.instant()));
        firstSuppressed = firstSuppressed == null ? address : firstSuppressed;
      }
    }
    if (firstSuppressed != null) {
      return Answer.of(ApiError.suppressed(firstSuppressed));
    }
    List<Recipient> recipients = message.recipients().stream().map(Recipient::of).toList();
    Stored stored =
        intake.submit(
            new Submission(
                message.sender(), recipients, message.message(), clientAddress, key.name(), "HTTP"),
            envelope -> labels.put(envelope.id(), request.labels()));
    return switch (stored) {
      case Stored.Durable durable ->
          new Answer(202, JsonText.accepted(durable.envelope().id().value()));
      case Stored.Refused refused ->
          Answer.of(
              switch (refused.reason()) {
                case TOO_LARGE -> ApiError.tooLarge(refused.detail());
                case NUL_OCTET -> ApiError.invalid(refused.detail());
                case STORAGE_FULL, STORAGE_FAILED -> ApiError.unavailable(refused.detail());
              });
    };
  }
}
