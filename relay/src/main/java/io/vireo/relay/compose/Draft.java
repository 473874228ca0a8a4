package io.vireo.relay.compose;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A message to compose: the fields an application gives the HTTP API or {@code vireo send}.
 * Addresses are RFC 5322 mailboxes ({@code a@example.com} or {@code "Name" <a@example.com>}); names
 * may be non-ASCII.
 *
 * @param bcc envelope recipients that appear in no header
 * @param headers extra header fields, in order; never the ones the composer writes itself
 */
public record Draft(
    String from,
    List<String> to,
    List<String> cc,
    List<String> bcc,
    Optional<String> replyTo,
    String subject,
    Optional<String> text,
    Optional<String> html,
    List<Attachment> attachments,
    Map<String, String> headers) {
  public Draft {
    Objects.requireNonNull(from, "from");
    to = List.copyOf(to);
    cc = List.copyOf(cc);
    bcc = List.copyOf(bcc);
    Objects.requireNonNull(replyTo, "replyTo");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(html, "html");
    attachments = List.copyOf(attachments);
    headers = Map.copyOf(headers);
  }

  /** One attached file. */
  public record Attachment(String filename, String contentType, byte[] content) {
    public Attachment {
      Objects.requireNonNull(filename, "filename");
      Objects.requireNonNull(contentType, "contentType");
      Objects.requireNonNull(content, "content");
    }
  }
}
