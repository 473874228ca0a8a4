package io.vireo.relay.delivery.outcome.dsn;

import io.vireo.queue.MessageContent;
import java.io.OutputStream;

/**
 * An OutputStream that fills a {@link MessageContent.Builder}, so composed or converted messages go
 * straight into spool-sized chunks instead of one large array. Closing it does nothing: encoders
 * that close their sink on close (Jakarta Mail's) can be closed safely.
 */
final class ContentOutputStream extends OutputStream {
  private final MessageContent.Builder builder = new MessageContent.Builder();

  @Override
  public void write(int b) {
    builder.write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) {
    builder.write(bytes, offset, length);
  }

  @Override
  public void close() {}

  MessageContent toContent() {
    return builder.build();
  }
}
