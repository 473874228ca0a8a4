package io.vireo.relay.compose;

import java.util.List;
import java.util.Objects;

/**
 * A composed message and its envelope.
 *
 * @param sender the envelope sender: the From address
 * @param recipients To, Cc and Bcc addresses, each once
 * @param message the RFC 5322 message with CRLF line ends
 */
public record Composed(String sender, List<String> recipients, byte[] message) {
  public Composed {
    Objects.requireNonNull(sender, "sender");
    recipients = List.copyOf(recipients);
    Objects.requireNonNull(message, "message");
  }
}
