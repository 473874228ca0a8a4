package io.vireo.queue.chronicle;

import io.vireo.queue.SpoolException;
import java.util.zip.CRC32C;
import net.openhft.chronicle.bytes.Bytes;

/**
 * The record checksum of format version 2: a CRC-32C over a record's own fields, from its type byte
 * up to the checksum (content is covered by the content CRC in the MESSAGE record instead).
 */
final class RecordCrc {
  private static final int MAX_BUFFER = 4096;

  private RecordCrc() {}

  /** CRC-32C of {@code bytes} from absolute offset {@code from} (inclusive) to {@code to}. */
  static int of(Bytes<?> bytes, long from, long to) {
    CRC32C crc = new CRC32C();
    byte[] buffer = new byte[(int) Math.min(MAX_BUFFER, Math.max(1, to - from))];
    long offset = from;
    while (offset < to) {
      int n = (int) Math.min(buffer.length, to - offset);
      long read = bytes.read(offset, buffer, 0, n);
      if (read <= 0) {
        throw new DamagedRecordException("spool record ends inside its checksummed fields");
      }
      crc.update(buffer, 0, (int) read);
      offset += read;
    }
    return (int) crc.getValue();
  }

  /** Appends the checksum of everything written since {@code start}. */
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
