package io.vireo.queue.chronicle;

import io.vireo.queue.DamagedContentException;
import io.vireo.queue.MessageContent;
import io.vireo.queue.MessageId;
import io.vireo.queue.SpoolException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.CRC32C;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Reads records back from the journals: a message's content by its position, and, for messages the
 * in-memory index no longer holds, a scan for one message id. Safe for concurrent use: each call
 * works with its own tailer (tailers, like appenders, are single-threaded).
 */
final class JournalReader {
  private final Journals journals;

  JournalReader(Journals journals) {
    this.journals = journals;
  }

  /**
   * The content of {@code entry}, byte for byte and checked against its CRC-32C; empty when its
   * journal file is gone (the message finished and retention removed it).
   *
   * @throws SpoolException if the records are there but damaged
   */
  Optional<MessageContent> readContent(SpoolEntry entry) {
    if (entry.envelopeIndex() == ChronicleIndexes.NONE) {
      // Found by a read-only scan behind damage: where it sits is only known after a repair.
      throw new SpoolException(
          "the content of message "
              + entry.id()
              + " sits behind damage in the journal; run 'vireo spool check --repair' with the"
              + " relay stopped");
    }
    try (ExcerptTailer tailer = journals.messages().createTailer()) {
      MessageContent content;
      if (entry.inline()) {
        if (!tailer.moveToIndex(entry.envelopeIndex())) {
          return Optional.empty();
        }
        try (DocumentContext dc = tailer.readingDocument()) {
          if (!dc.isPresent()) {
            return Optional.empty();
          }
          Bytes<?> in = dc.wire().bytes();
          MessageRecord record = MessageCodec.readMessage(in);
          if (!record.envelope().id().equals(entry.id())) {
            throw new SpoolException(
                "journal index "
                    + entry.envelopeIndex()
                    + " holds "
                    + record.envelope().id()
                    + ", not "
                    + entry.id());
          }
          content = MessageContent.ofChunks(List.of(readFully(in, (int) record.size())));
        }
      } else {
        if (!tailer.moveToIndex(entry.firstChunkIndex())) {
          return Optional.empty();
        }
        List<byte[]> chunks = new ArrayList<>(entry.chunkCount());
        for (int sequence = 0; sequence < entry.chunkCount(); sequence++) {
          try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent()) {
              throw new SpoolException(
                  "content of message "
                      + entry.id()
                      + " ends after "
                      + sequence
                      + " of "
                      + entry.chunkCount()
                      + " chunks");
            }
            Bytes<?> in = dc.wire().bytes();
            int length = MessageCodec.readChunkHeader(in, entry.id(), sequence);
            chunks.add(readFully(in, length));
          }
        }
        content = MessageContent.ofChunks(chunks);
      }
      verify(entry, content);
      return Optional.of(content);
    }
  }

  /**
   * Looks a message up in the journals themselves: its latest MESSAGE record with the events after
   * it applied. Reads every record, so it is for the rare lookups the in-memory index cannot
   * answer.
   */
  Optional<SpoolEntry> scanFor(MessageId id) {
    SpoolEntry entry = null;
    try (ExcerptTailer tailer = journals.messages().createTailer()) {
      while (true) {
        try (DocumentContext dc = tailer.readingDocument()) {
          if (!dc.isPresent()) {
            break;
          }
          Bytes<?> in = dc.wire().bytes();
          if (BinaryFields.peekType(in) != RecordCodes.MESSAGE) {
            continue;
          }
          long start = in.readPosition();
          try {
            BinaryFields.readHeader(in, RecordCodes.MESSAGE);
            if (!id.value().equals(BinaryFields.readString(in))) {
              continue;
            }
            in.readPosition(start);
            entry = SpoolEntry.of(MessageCodec.readMessage(in), tailer.index());
          } catch (RuntimeException e) {
            continue; // a damaged record: the recovery scan reported it
          }
        }
      }
    }
    if (entry == null) {
      return Optional.empty();
    }
    try (ExcerptTailer tailer = journals.events().createTailer()) {
      while (true) {
        try (DocumentContext dc = tailer.readingDocument()) {
          if (!dc.isPresent()) {
            break;
          }
          if (tailer.index() <= entry.eventsAfter()) {
            continue;
          }
          Bytes<?> in = dc.wire().bytes();
          long start = in.readPosition();
          try {
            if (!id.value().equals(EventCodec.peekMessageId(in))) {
              continue;
            }
            in.readPosition(start);
            entry = entry.apply(EventCodec.read(in));
          } catch (RuntimeException e) {
            continue; // a damaged record: the recovery scan reported it
          }
        }
      }
    }
    return Optional.of(entry);
  }

  private static byte[] readFully(Bytes<?> in, int length) {
    byte[] bytes = new byte[length];
    int read = 0;
    while (read < length) {
      int n = in.read(bytes, read, length - read);
      if (n <= 0) {
        throw new SpoolException("journal record ends after " + read + " of " + length + " bytes");
      }
      read += n;
    }
    return bytes;
  }

  private static void verify(SpoolEntry entry, MessageContent content) {
    if (content.size() != entry.size()) {
      throw new SpoolException(
          "content of message "
              + entry.id()
              + " has "
              + content.size()
              + " bytes, expected "
              + entry.size());
    }
    if (crcOf(content) != entry.crc()) {
      throw new DamagedContentException(
          "content of message " + entry.id() + " fails its CRC-32C check");
    }
  }

  /** CRC-32C of a message's content, as stored in its MESSAGE record. */
  static int crcOf(MessageContent content) {
    CRC32C crc = new CRC32C();
    content.update(crc); // over the chunks themselves: a read-only view would be copied first
    return (int) crc.getValue();
  }
}
