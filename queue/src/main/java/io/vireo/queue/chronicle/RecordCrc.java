package io.vireo.queue.chronicle;

import io.vireo.queue.SpoolException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import net.openhft.chronicle.bytes.Bytes;

/**
 * The record checksum of format version 2: a CRC-32C over a record's own fields, from its type byte
 * up to the checksum (content is covered by the content CRC in the MESSAGE record instead).
 *
 * <p>Only relative reads are used on Chronicle's own bytes: an absolute read of a mapped journal
 * can land outside the chunk Chronicle has mapped (a JVM crash, seen at 1,000,000 messages), so
 * {@link RecordWriter} encodes each record into a heap buffer first and checksums that.
 */
final class RecordCrc {
  private static final int MAX_BUFFER = 4096;

  private RecordCrc() {}

  /**
   * CRC-32C of {@code bytes} from {@code from} (inclusive) to {@code to}, read relative to its read
   * position, which is left where it was.
   */
  static int of(Bytes<?> bytes, long from, long to) {
    CRC32C crc = new CRC32C();
    // Recovery reads through a mapped ByteBuffer of its own: checksum it in place, with no copy (a
    // copy per record tripled the collector's time in a 1,000,000-message recovery).
    if (bytes.underlyingObject() instanceof ByteBuffer buffer
        && bytes.start() == 0
        && to <= buffer.capacity()) {
      crc.update(buffer.slice((int) from, (int) (to - from)));
      return (int) crc.getValue();
    }
    long position = bytes.readPosition();
    long limit = bytes.readLimit();
    byte[] buffer = new byte[(int) Math.min(MAX_BUFFER, Math.max(1, to - from))];
    try {
      bytes.readLimit(Math.max(limit, to));
      bytes.readPosition(from);
      long left = to - from;
      while (left > 0) {
        int n = (int) Math.min(buffer.length, left);
        int read = bytes.read(buffer, 0, n);
        if (read <= 0) {
          throw new DamagedRecordException("spool record ends inside its checksummed fields");
        }
        crc.update(buffer, 0, read);
        left -= read;
      }
    } finally {
      bytes.readLimit(limit);
      bytes.readPosition(position);
    }
    return (int) crc.getValue();
  }

  /**
   * Appends the checksum of everything written since {@code start}; {@code out} must be a heap
   * buffer the caller owns (see the class comment).
   */
  static void write(Bytes<?> out, long start) {
    out.writeInt(of(out, start, out.writePosition()));
  }

  /** Reads the checksum after the fields read since {@code start}; fails if they do not match. */
  static void verify(Bytes<?> in, long start, String what) {
    int expected = of(in, start, in.readPosition());
    if (in.readRemaining() < Integer.BYTES || in.readInt() != expected) {
      throw new DamagedRecordException(what + " fails its record checksum");
    }
  }

  /** A record whose bytes no longer decode or no longer match their checksum. */
  static final class DamagedRecordException extends SpoolException {
    DamagedRecordException(String message) {
      super(message);
    }
  }
}
