package io.vireo.bench.sink;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One message as the sink received it: the envelope and the content with dot-stuffing removed (RFC
 * 5321 section 4.5.2), ending with the CRLF before the terminating dot.
 */
public record ReceivedMessage(String mailFrom, List<String> recipients, byte[] content) {

  public ReceivedMessage {
    recipients = List.copyOf(recipients);
    content = content.clone();
  }

  @Override
  public byte[] content() {
    return content.clone();
  }

  /** The content decoded as UTF-8 (bench messages are ASCII). */
  public String contentAsString() {
    return new String(content, StandardCharsets.UTF_8);
  }
}
