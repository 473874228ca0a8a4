package io.vireo.queue.chronicle;

import io.vireo.queue.MessageId;
import io.vireo.queue.SpoolException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import net.openhft.chronicle.bytes.Bytes;

/**
 * Reads and writes the field types the spool's records are made of, on Chronicle's {@link Bytes}.
 */
final class BinaryFields {
  private static final long NULL_LENGTH = -1;

  private BinaryFields() {}

  /** Writes a record's type and version bytes (the current version). */
  static void writeHeader(Bytes<?> out, byte type) {
    writeHeader(out, type, RecordCodes.CURRENT_VERSION);
  }

  /** Writes a record's type and version bytes, for a record that needs a newer version. */
  static void writeHeader(Bytes<?> out, byte type, byte version) {
    out.writeByte(type);
    out.writeByte(version);
  }

  /** Whether this build reads records of {@code version}. */
  static boolean knownVersion(byte version) {
    return version >= RecordCodes.VERSION_1 && version <= RecordCodes.NEWEST_VERSION;
  }

  /** Reads a record's type byte without consuming it; -1 for an empty document. */
  static int peekType(Bytes<?> in) {
    return in.readRemaining() == 0 ? -1 : in.peekUnsignedByte();
  }

  /**
   * Consumes the type and version bytes, failing if either is not what this reader understands;
   * returns the version (version 1 records carry no record checksum).
   */
  static byte readHeader(Bytes<?> in, byte expectedType) {
    byte type = in.readByte();
    if (type != expectedType) {
      throw new SpoolException(
          "expected a spool record of type '" + (char) expectedType + "', found code " + type);
    }
    byte version = in.readByte();
    if (!knownVersion(version)) {
      throw new SpoolException(
          "spool record '"
              + (char) type
              + "' has version "
              + version
              + "; this build reads versions "
              + RecordCodes.VERSION_1
              + " to "
              + RecordCodes.NEWEST_VERSION
              + " (was the spool written by a newer Vireo?)");
    }
    return version;
  }

  /**
   * A string as its UTF-8 byte count in stop-bit encoding, then the bytes; null is a count of -1.
   * (Not Chronicle's own {@code writeUtf8}: this keeps the format ours, and reading skips its
   * string interning, which dominated recovery time.)
   */
  static void writeString(Bytes<?> out, String value) {
    if (value == null) {
      out.writeStopBit(NULL_LENGTH);
      return;
    }
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    out.writeStopBit(utf8.length);
    out.write(utf8);
  }

  static String readString(Bytes<?> in) {
    long length = in.readStopBit();
    if (length == NULL_LENGTH) {
      return null;
    }
    if (length < 0 || length > in.readRemaining()) {
      throw new SpoolException("spool record has a string of impossible length " + length);
    }
    byte[] utf8 = new byte[(int) length];
    in.read(utf8);
    return new String(utf8, StandardCharsets.UTF_8);
  }

  static String readRequiredString(Bytes<?> in, String field) {
    String value = readString(in);
    if (value == null) {
      throw new SpoolException("spool record lacks its " + field);
    }
    return value;
  }

  static void writeInstant(Bytes<?> out, Instant instant) {
    out.writeLong(instant.getEpochSecond());
    out.writeInt(instant.getNano());
  }

  static Instant readInstant(Bytes<?> in) {
    long seconds = in.readLong();
    int nanos = in.readInt();
    return Instant.ofEpochSecond(seconds, nanos);
  }

  /**
   * A presence flag as one byte, 0 or 1 (spelled out so the format does not follow Chronicle's).
   */
  static void writeFlag(Bytes<?> out, boolean flag) {
    out.writeByte((byte) (flag ? 1 : 0));
  }

  static boolean readFlag(Bytes<?> in) {
    byte flag = in.readByte();
    if (flag != 0 && flag != 1) {
      throw RecordCodes.corrupt("flag", flag);
    }
    return flag == 1;
  }

  static void writeOptionalInstant(Bytes<?> out, Instant instant) {
    writeFlag(out, instant != null);
    if (instant != null) {
      writeInstant(out, instant);
    }
  }

  static Instant readOptionalInstant(Bytes<?> in) {
    return readFlag(in) ? readInstant(in) : null;
  }

  /** A message id read from a record; a damaged one is a damaged record, not a bad argument. */
  static MessageId messageId(String value) {
    if (!MessageId.isValid(value)) {
      throw new RecordCrc.DamagedRecordException("spool record has an invalid message id");
    }
    return new MessageId(value);
  }

  static int readCount(Bytes<?> in, String what) {
    long count = in.readStopBit();
    if (count < 0 || count > Integer.MAX_VALUE) {
      throw new SpoolException("spool record has an impossible " + what + ": " + count);
    }
    return (int) count;
  }
}
