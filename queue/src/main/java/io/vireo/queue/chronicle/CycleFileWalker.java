package io.vireo.queue.chronicle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.wire.Wires;

/**
 * Walks one Chronicle cycle file document by document, on its own, so that recovery can read past
 * damage that would stop Chronicle's tailer (which also stops silently at a gap of zeros, behind
 * which its appender would go on writing).
 *
 * <p>The layout it relies on: every document starts 4-byte aligned with a little-endian int header
 * (30 bits of length, a metadata bit and a not-complete bit); the first document is metadata
 * describing the store; a zero header is the end of the data; {@link Wires#END_OF_DATA} marks a
 * file that was rolled over. Data documents are numbered from 0 in file order: that number is the
 * sequence part of a Chronicle index. After damage the numbering can no longer be trusted, so
 * later records are reported with sequence -1.
 */
final class CycleFileWalker {
  /** Chronicle's largest document is a quarter of its 64 MiB block. */
  static final int MAX_DOCUMENT = 16 << 20;

  private static final int HEADER_SEARCH = 64;
  private static final byte[] STORE_MARK = "SCQStore".getBytes(StandardCharsets.US_ASCII);

  /** What the walker reports besides the records. */
  interface Visitor {
    /** A complete data document at {@code position}; its payload is framed in {@code payload}. */
    void record(long position, long sequence, Bytes<?> payload);

    /** Whether the payload of a document found past damage decodes as one of the spool's records. */
    boolean decodes(Bytes<?> payload);

    /** The bytes in {@code [from, to)} could not be read as records. */
    void damaged(long from, long to, String what);
  }

  /**
   * The walk's outcome.
   *
   * @param validStore false when the file does not start like a Chronicle cycle (junk or zeros)
   * @param rolled the file ends with Chronicle's end-of-data marker
   * @param interruptedTail the data ends in a document whose write was interrupted (a crash)
   * @param records data documents found
   */
  record Walk(boolean validStore, boolean rolled, boolean interruptedTail, long records) {}

  private CycleFileWalker() {}

  /**
   * Whether {@code decoder} reads {@code payload} without failing; the read position is restored.
   * The usual {@link Visitor#decodes} for a resync candidate.
   */
  static boolean decodes(Bytes<?> payload, java.util.function.Consumer<Bytes<?>> decoder) {
    long start = payload.readPosition();
    try {
      decoder.accept(payload);
      return true;
    } catch (RuntimeException e) {
      return false;
    } finally {
      payload.readPosition(start);
    }
  }

  /** Decodes any record of the messages journal: a CHUNK header or a whole MESSAGE envelope. */
  static void decodeMessagesRecord(Bytes<?> payload) {
    if (BinaryFields.peekType(payload) == RecordCodes.CHUNK) {
      MessageCodec.readChunk(payload);
    } else {
      MessageCodec.readMessage(payload, ValuePool.none());
    }
  }

  static Walk walk(FileWindow file, Visitor visitor) throws IOException {
    long size = file.size();
    if (!startsLikeAStore(file)) {
      return new Walk(false, false, false, 0);
    }
    long position = align(Integer.BYTES + (file.intAt(0) & Wires.LENGTH_MASK));
    long sequence = 0;
    boolean sequenceKnown = true;
    long records = 0;
    while (true) {
      if (position + Integer.BYTES > size) {
        visitor.damaged(
            Math.min(position, size),
            size,
            "the file ends inside its data without an end marker (truncated)");
        return new Walk(true, false, false, records);
      }
      int header = file.intAt(position);
      if (header == Wires.END_OF_DATA) {
        return new Walk(true, true, false, records);
      }
      if (header == 0 || (header & Wires.NOT_COMPLETE) != 0) {
        long resumed = resync(file, visitor, position + Integer.BYTES);
        if (resumed < 0) {
          return new Walk(true, false, header != 0, records);
        }
        visitor.damaged(
            position,
            resumed,
            header == 0
                ? "a gap of " + (resumed - position) + " bytes with records after it"
                : "an unfinished record with records after it");
        position = resumed;
        sequenceKnown = false;
        continue;
      }
      int length = header & Wires.LENGTH_MASK;
      long next = align(position + Integer.BYTES + length);
      if (position + Integer.BYTES + length > size) {
        visitor.damaged(position, size, "a record cut off by the end of the file (truncated)");
        return new Walk(true, false, false, records);
      }
      if ((header & Wires.META_DATA) != 0) {
        position = next;
        continue;
      }
      if (length == 0 || length > MAX_DOCUMENT) {
        long resumed = resync(file, visitor, position + Integer.BYTES);
        visitor.damaged(position, resumed < 0 ? size : resumed, "a record header that makes no sense");
        if (resumed < 0) {
          return new Walk(true, false, false, records);
        }
        position = resumed;
        sequenceKnown = false;
        continue;
      }
      visitor.record(
          position,
          sequenceKnown ? sequence : -1,
          file.frame(position + Integer.BYTES, length));
      sequence++;
      records++;
      position = next;
    }
  }

  /**
   * The next position at or after {@code from} where a data document starts whose payload decodes
   * as a spool record, or -1 if there is none before the end of the file.
   */
  private static long resync(FileWindow file, Visitor visitor, long from) throws IOException {
    long size = file.size();
    long position = align(from);
    while (true) {
      position = file.nextNonZero(position);
      if (position < 0) {
        return -1;
      }
      int header = file.intAt(position);
      int length = header & Wires.LENGTH_MASK;
      if ((header & (Wires.NOT_COMPLETE | Wires.META_DATA)) == 0
          && length >= 2
          && length <= MAX_DOCUMENT
          && position + Integer.BYTES + length <= size
          && isRecordStart(file, position + Integer.BYTES)
          && visitor.decodes(file.frame(position + Integer.BYTES, length))) {
        return position;
      }
      position += Integer.BYTES;
    }
  }

  private static boolean isRecordStart(FileWindow file, long payload) throws IOException {
    byte type = file.byteAt(payload);
    byte version = file.byteAt(payload + 1);
    return (type == RecordCodes.MESSAGE || type == RecordCodes.CHUNK || type == RecordCodes.EVENT)
        && BinaryFields.knownVersion(version);
  }

  /** A cycle file starts with a complete metadata document naming Chronicle's store. */
  private static boolean startsLikeAStore(FileWindow file) throws IOException {
    if (file.size() < Integer.BYTES + HEADER_SEARCH) {
      return false;
    }
    int header = file.intAt(0);
    int length = header & Wires.LENGTH_MASK;
    if ((header & Wires.NOT_COMPLETE) != 0
        || (header & Wires.META_DATA) == 0
        || length < HEADER_SEARCH
        || length > (1 << 20)
        || Integer.BYTES + length > file.size()) {
      return false;
    }
    outer:
    for (int at = Integer.BYTES; at + STORE_MARK.length <= Integer.BYTES + HEADER_SEARCH; at++) {
      for (int i = 0; i < STORE_MARK.length; i++) {
        if (file.byteAt(at + i) != STORE_MARK[i]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static long align(long position) {
    return (position + 3) & ~3L;
  }
}
