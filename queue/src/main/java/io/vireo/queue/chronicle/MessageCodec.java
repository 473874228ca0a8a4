package io.vireo.queue.chronicle;

import io.vireo.queue.Envelope;
import io.vireo.queue.MessageContent;
import io.vireo.queue.MessageId;
import io.vireo.queue.Recipient;
import io.vireo.queue.RecipientStatus;
import io.vireo.queue.SpoolException;
import java.util.ArrayList;
import java.util.List;
import net.openhft.chronicle.bytes.Bytes;

/**
 * Encodes and decodes the messages journal's records.
 *
 * <p>MESSAGE (version 2, or 3 when a snapshot holds a held or deleted recipient; version 1 lacks
 * {@code recordCrc}): {@code 'M' 1 id arrival sender bodyType flags ret envid clientAddress
 * helo recipientCount {address notifyBits orcpt}* eventsAfter hasSnapshot {state attempts
 * nextAttempt lastReply}* size crc32c contentMode (inline: content bytes | chunked: firstChunkIndex
 * chunkCount) recordCrc (content bytes if inline)}, where {@code recordCrc} is the CRC-32C of
 * everything before it ({@link RecordCrc}). The content comes last so a recovery scan decodes the envelope and never touches
 * the body.
 *
 * <p>CHUNK (version 1): {@code 'C' 1 id sequence length bytes}. A large message's chunks are
 * appended before its MESSAGE record, which therefore doubles as the commit marker: chunks without
 * a MESSAGE after them (a crash mid-write) are ignored.
 */
final class MessageCodec {
  private static final int FLAG_SMTPUTF8 = 1;

  /**
   * Largest MESSAGE record without its inline content. With at most {@link
   * MessageContent#MAX_CHUNK} inline bytes this stays far below Chronicle's largest excerpt (a
   * quarter of its 64 MiB block), past which Chronicle would write beyond the excerpt before
   * noticing.
   */
  static final long MAX_ENVELOPE_BYTES = 4L << 20;

  private MessageCodec() {}

  /** An upper bound of the encoded size of a MESSAGE record's envelope and snapshot. */
  static long encodedSizeBound(Envelope envelope, List<RecipientStatus> snapshot) {
    long size = 64;
    size += bound(envelope.id().value()) + bound(envelope.sender()) + bound(envelope.envelopeId());
    size += bound(envelope.clientAddress()) + bound(envelope.heloName());
    for (Recipient recipient : envelope.recipients()) {
      size += 1 + bound(recipient.address()) + bound(recipient.originalRecipient());
    }
    if (snapshot != null) {
      for (RecipientStatus status : snapshot) {
        size += 20 + bound(status.lastReply());
      }
    }
    return size;
  }

  /** Stop-bit length plus at most three UTF-8 bytes per UTF-16 char. */
  private static long bound(String value) {
    return value == null ? 1 : 5 + 3L * value.length();
  }

  static void writeMessage(
      Bytes<?> out,
      Envelope envelope,
      List<RecipientStatus> snapshot,
      long eventsAfter,
      long size,
      int crc,
      long firstChunkIndex,
      int chunkCount) {
    long start = out.writePosition();
    byte version = RecordCodes.CURRENT_VERSION;
    if (snapshot != null) {
      for (RecipientStatus status : snapshot) {
        version = (byte) Math.max(version, RecordCodes.versionFor(status.state()));
      }
    }
    BinaryFields.writeHeader(out, RecordCodes.MESSAGE, version);
    BinaryFields.writeString(out, envelope.id().value());
    BinaryFields.writeInstant(out, envelope.arrival());
    BinaryFields.writeString(out, envelope.sender());
    out.writeByte(RecordCodes.bodyType(envelope.bodyType()));
    out.writeByte((byte) (envelope.smtpUtf8() ? FLAG_SMTPUTF8 : 0));
    out.writeByte(RecordCodes.ret(envelope.ret()));
    BinaryFields.writeString(out, envelope.envelopeId());
    BinaryFields.writeString(out, envelope.clientAddress());
    BinaryFields.writeString(out, envelope.heloName());
    out.writeStopBit(envelope.recipients().size());
    for (Recipient recipient : envelope.recipients()) {
      BinaryFields.writeString(out, recipient.address());
      out.writeByte(RecordCodes.notifications(recipient.notifications()));
      BinaryFields.writeString(out, recipient.originalRecipient());
    }
    out.writeLong(eventsAfter);
    BinaryFields.writeFlag(out, snapshot != null);
    if (snapshot != null) {
      for (RecipientStatus status : snapshot) {
        out.writeByte(RecordCodes.state(status.state()));
        out.writeStopBit(status.attempts());
        BinaryFields.writeOptionalInstant(out, status.nextAttempt());
        BinaryFields.writeString(out, status.lastReply());
      }
    }
    out.writeLong(size);
    out.writeInt(crc);
    if (chunkCount == 0) {
      out.writeByte(RecordCodes.CONTENT_INLINE);
    } else {
      out.writeByte(RecordCodes.CONTENT_CHUNKED);
      out.writeLong(firstChunkIndex);
      out.writeStopBit(chunkCount);
    }
    RecordCrc.write(out, start);
  }

  /** Decodes a MESSAGE record, leaving {@code in} at the first content byte when it is inline. */
  static MessageRecord readMessage(Bytes<?> in) {
    return readMessage(in, ValuePool.none());
  }

  /** Decodes a MESSAGE record; the strings that repeat across messages go through {@code pool}. */
  static MessageRecord readMessage(Bytes<?> in, ValuePool pool) {
    long start = in.readPosition();
    byte version = BinaryFields.readHeader(in, RecordCodes.MESSAGE);
    MessageId id = BinaryFields.messageId(BinaryFields.readRequiredString(in, "message id"));
    var arrival = BinaryFields.readInstant(in);
    String sender = pool.intern(BinaryFields.readRequiredString(in, "sender"));
    var bodyType = RecordCodes.bodyType(in.readByte());
    boolean smtpUtf8 = (in.readByte() & FLAG_SMTPUTF8) != 0;
    var ret = RecordCodes.ret(in.readByte());
    String envelopeId = BinaryFields.readString(in);
    String clientAddress = pool.intern(BinaryFields.readRequiredString(in, "client address"));
    String heloName = pool.intern(BinaryFields.readRequiredString(in, "HELO name"));
    int count = BinaryFields.readCount(in, "recipient count");
    List<Recipient> recipients = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String address = pool.intern(BinaryFields.readRequiredString(in, "recipient address"));
      var notifications = RecordCodes.notifications(in.readByte());
      String orcpt = BinaryFields.readString(in);
      recipients.add(new Recipient(address, notifications, orcpt));
    }
    Envelope envelope =
        new Envelope(
            id,
            sender,
            // Pooled whole, and immutable already, so the Envelope keeps this very list.
            pool.intern(List.copyOf(recipients)),
            bodyType,
            smtpUtf8,
            ret,
            envelopeId,
            arrival,
            clientAddress,
            heloName);
    long eventsAfter = in.readLong();
    List<RecipientStatus> snapshot = null;
    if (BinaryFields.readFlag(in)) {
      snapshot = new ArrayList<>(count);
      for (Recipient recipient : envelope.recipients()) {
        var state = RecordCodes.state(in.readByte(), version);
        int attempts = BinaryFields.readCount(in, "attempt count");
        var nextAttempt = BinaryFields.readOptionalInstant(in);
        String lastReply = BinaryFields.readString(in);
        snapshot.add(new RecipientStatus(recipient, state, attempts, nextAttempt, lastReply));
      }
    }
    long size = in.readLong();
    int crc = in.readInt();
    byte mode = in.readByte();
    long firstChunkIndex = ChronicleIndexes.NONE;
    int chunkCount = 0;
    if (mode == RecordCodes.CONTENT_CHUNKED) {
      firstChunkIndex = in.readLong();
      chunkCount = BinaryFields.readCount(in, "chunk count");
    }
    if (version >= RecordCodes.VERSION_2) {
      RecordCrc.verify(in, start, "the envelope of message " + id);
    }
    return switch (mode) {
      case RecordCodes.CONTENT_INLINE -> {
        if (in.readRemaining() != size) {
          throw new SpoolException(
              "message "
                  + id
                  + " should carry "
                  + size
                  + " content bytes, has "
                  + in.readRemaining());
        }
        yield new MessageRecord(
            envelope, size, crc, eventsAfter, snapshot, ChronicleIndexes.NONE, 0);
      }
      case RecordCodes.CONTENT_CHUNKED ->
          new MessageRecord(
              envelope, size, crc, eventsAfter, snapshot, firstChunkIndex, chunkCount);
      default -> throw RecordCodes.corrupt("content mode", mode);
    };
  }

  /** A CHUNK record's header, read wherever the record is. */
  record ChunkHeader(MessageId id, int sequence, int length) {}

  /**
   * Decodes a CHUNK record's header without knowing which message to expect, failing unless
   * exactly the declared number of content bytes follow; {@code in} is left at the first of them.
   */
  static ChunkHeader readChunk(Bytes<?> in) {
    BinaryFields.readHeader(in, RecordCodes.CHUNK);
    MessageId id = BinaryFields.messageId(BinaryFields.readRequiredString(in, "message id"));
    int sequence = BinaryFields.readCount(in, "chunk sequence");
    int length = BinaryFields.readCount(in, "chunk length");
    if (in.readRemaining() != length) {
      throw new RecordCrc.DamagedRecordException(
          "chunk record holds " + in.readRemaining() + " bytes, declares " + length);
    }
    return new ChunkHeader(id, sequence, length);
  }

  static void writeChunkHeader(Bytes<?> out, MessageId id, int sequence, int length) {
    BinaryFields.writeHeader(out, RecordCodes.CHUNK);
    BinaryFields.writeString(out, id.value());
    out.writeStopBit(sequence);
    out.writeStopBit(length);
  }

  /**
   * Decodes a CHUNK record's header, checks it belongs where the reader expects it and returns the
   * content length; {@code in} is left at the first content byte.
   */
  static int readChunkHeader(Bytes<?> in, MessageId expectedId, int expectedSequence) {
    BinaryFields.readHeader(in, RecordCodes.CHUNK);
    String id = BinaryFields.readRequiredString(in, "message id");
    int sequence = BinaryFields.readCount(in, "chunk sequence");
    int length = BinaryFields.readCount(in, "chunk length");
    if (!id.equals(expectedId.value()) || sequence != expectedSequence) {
      throw new SpoolException(
          "content of message "
              + expectedId
              + " is damaged: expected chunk "
              + expectedSequence
              + ", found chunk "
              + sequence
              + " of "
              + id);
    }
    if (in.readRemaining() != length) {
      throw new SpoolException(
          "chunk "
              + sequence
              + " of message "
              + id
              + " is truncated: "
              + in.readRemaining()
              + " of "
              + length
              + " bytes");
    }
    return length;
  }
}
