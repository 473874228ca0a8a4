package io.vireo.relay.intake;

import io.vireo.queue.Recipient;
import java.util.List;
import java.util.Objects;

/**
 * A whole message from a submitter that has it in hand (the HTTP API), not streamed as SMTP does.
 *
 * @param sender the envelope sender (reverse-path) without angle brackets
 * @param recipients the envelope recipients, at least one
 * @param content the complete RFC 5322 message, CRLF line ends, without the trace header the intake
 *     adds
 * @param clientAddress the submitting peer's IP address as text
 * @param clientName who submitted it, for the trace header (an API key's name)
 * @param protocol the trace header's {@code with} word (RFC 5321 section 4.4), e.g. {@code HTTP}
 */
public record Submission(
    String sender,
    List<Recipient> recipients,
    byte[] content,
    String clientAddress,
    String clientName,
    String protocol) {
  public Submission {
    Objects.requireNonNull(sender, "sender");
    recipients = List.copyOf(recipients);
    if (recipients.isEmpty()) {
      throw new IllegalArgumentException("a submission needs at least one recipient");
    }
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(clientAddress, "clientAddress");
    Objects.requireNonNull(clientName, "clientName");
    Objects.requireNonNull(protocol, "protocol");
  }
}
