package io.vireo.queue.chronicle;

import io.vireo.queue.MessageContent;
import io.vireo.queue.MessageId;
import io.vireo.queue.SpoolException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import net.openhft.chronicle.bytes.Bytes;

/**
 * Finds the content of the messages a repair keeps, by walking the messages journal's files
 * directly: the latest MESSAGE record of each wanted id and, for a large message, the CHUNK records
 * written just before it, located by message id and chunk number rather than by Chronicle index
 * (which damage makes unreliable).
 */
final class ContentSalvage {
  private record Location(Path file, long payload, int length) {}

  private record Found(Location message, Map<Integer, Location> chunks) {}

  private final Map<MessageId, Found> found = new HashMap<>();

  private ContentSalvage() {}

  /** Locates the content of every id {@code wanted} accepts. */
  static ContentSalvage locate(
      JournalFiles messages, java.util.function.Predicate<MessageId> wanted) {
    ContentSalvage salvage = new ContentSalvage();
    Map<MessageId, Map<Integer, Location>> pendingChunks = new HashMap<>();
    for (JournalFiles.CycleFile file : messages.cycles()) {
      try (FileWindow window = new FileWindow(file.path())) {
        CycleFileWalker.walk(
            window,
            new CycleFileWalker.Visitor() {
              @Override
              public void record(long position, long sequence, Bytes<?> payload) {
                long start = payload.readPosition();
                int length = (int) (payload.readLimit() - start);
                Location here = new Location(file.path(), position + Integer.BYTES, length);
                try {
                  int type = BinaryFields.peekType(payload);
                  if (type == RecordCodes.CHUNK) {
                    MessageCodec.ChunkHeader chunk = MessageCodec.readChunk(payload);
                    if (wanted.test(chunk.id())) {
                      pendingChunks
                          .computeIfAbsent(chunk.id(), id -> new TreeMap<>())
                          .put(chunk.sequence(), here);
                    }
                  } else if (type == RecordCodes.MESSAGE) {
                    MessageId id = MessageCodec.readMessage(payload, ValuePool.none()).envelope().id();
                    if (wanted.test(id)) {
                      Map<Integer, Location> chunks = pendingChunks.remove(id);
                      salvage.found.put(id, new Found(here, chunks == null ? Map.of() : chunks));
                    }
                  }
                } catch (RuntimeException e) {
                  // Damaged records were reported by the recovery scan; nothing to take here.
                }
              }

              @Override
              public boolean decodes(Bytes<?> payload) {
                return CycleFileWalker.decodes(payload, CycleFileWalker::decodeMessagesRecord);
              }

              @Override
              public void damaged(long from, long to, String what) {}
            });
      } catch (IOException e) {
        throw new SpoolException("cannot read the journal file " + file.path() + ": " + e, e);
      }
    }
    return salvage;
  }

  /**
   * The content of {@code entry} as the journal holds it, or empty when it is missing or fails its
   * CRC-32C.
   */
  Optional<MessageContent> contentOf(SpoolEntry entry) {
    Found where = found.get(entry.id());
    if (where == null) {
      return Optional.empty();
    }
    try {
      MessageContent content =
          entry.chunkCount() == 0 ? inline(where.message()) : chunked(entry, where.chunks());
      if (content == null || content.size() != entry.size()) {
        return Optional.empty();
      }
      CRC32C crc = new CRC32C();
      content.update(crc);
      return (int) crc.getValue() == entry.crc() ? Optional.of(content) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static MessageContent inline(Location location) throws IOException {
    try (FileWindow window = new FileWindow(location.file())) {
      Bytes<?> payload = window.frame(location.payload(), location.length());
      MessageCodec.readMessage(payload, ValuePool.none());
      byte[] content = new byte[(int) payload.readRemaining()];
      payload.read(content);
      return MessageContent.of(content);
    }
  }

  private static MessageContent chunked(SpoolEntry entry, Map<Integer, Location> chunks)
      throws IOException {
    MessageContent.Builder builder = new MessageContent.Builder();
    for (int sequence = 0; sequence < entry.chunkCount(); sequence++) {
      Location location = chunks.get(sequence);
      if (location == null) {
        return null;
      }
      try (FileWindow window = new FileWindow(location.file())) {
        Bytes<?> payload = window.frame(location.payload(), location.length());
        MessageCodec.ChunkHeader header = MessageCodec.readChunk(payload);
        if (!header.id().equals(entry.id()) || header.sequence() != sequence) {
          return null;
        }
        byte[] bytes = new byte[(int) payload.readRemaining()];
        payload.read(bytes);
        builder.write(bytes);
      }
    }
    return builder.build();
  }
}
