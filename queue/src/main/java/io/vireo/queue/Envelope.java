package io.vireo.queue;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Everything the relay learned about a message besides its content: the SMTP envelope and where it came
 * from.
 *
 * @param id the queue id, also quoted in the 250 reply
 * @param sender the reverse-path without angle brackets; empty for the null sender {@code <>}
 * @param recipients at least one
 * @param envelopeId the ENVID parameter (RFC 3461 section 4.4), or null
 * @param clientAddress the peer's IP address as text
 * @param heloName the name the client gave in EHLO/HELO
 */
public record Envelope(
    MessageId id,
    String sender,
    List<Recipient> recipients,
    BodyType bodyType,
    boolean smtpUtf8,
    Ret ret,
    String envelopeId,
    Instant arrival,
    String clientAddress,
    String heloName) {

  public Envelope {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(sender, "sender");
    recipients = List.copyOf(recipients);
    if (recipients.isEmpty()) {
      throw new IllegalArgumentException("an envelope needs at least one recipient");
    }
    Objects.requireNonNull(bodyType, "bodyType");
    Objects.requireNonNull(ret, "ret");
    Objects.requireNonNull(arrival, "arrival");
    Objects.requireNonNull(clientAddress, "clientAddress");
    Objects.requireNonNull(heloName, "heloName");
  }

  public boolean hasNullSender() {
    return sender.isEmpty();
  }
}
