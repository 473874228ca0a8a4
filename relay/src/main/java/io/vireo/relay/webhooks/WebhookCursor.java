package io.vireo.relay.webhooks;

import io.vireo.relay.events.EventLog;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * A webhook's place in the event log, kept in {@code webhook-<key>.cursor} beside it: {@code
 * segment offset sequence} on one line, replaced atomically (written, synced, renamed) after each
 * acknowledged POST. A crash between the 2xx and the rename sends that batch again.
 */
final class WebhookCursor {
  private final Path file;

  WebhookCursor(Path dir, String key) {
    this.file = dir.resolve("webhook-" + key + ".cursor");
  }

  Optional<EventLog.Position> load() throws IOException {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    String[] parts = Files.readString(file, StandardCharsets.US_ASCII).strip().split(" ");
    try {
      return Optional.of(
          new EventLog.Position(
              Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2])));
    } catch (RuntimeException e) {
      throw new IOException(file + " is not a webhook cursor (segment offset sequence)", e);
    }
  }

  void save(EventLog.Position position) throws IOException {
    Path temp = file.resolveSibling(file.getFileName() + ".tmp");
    String text = position.segment() + " " + position.offset() + " " + position.sequence() + "\n";
    try (FileChannel channel =
        FileChannel.open(
            temp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      channel.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
      channel.force(false);
    }
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
