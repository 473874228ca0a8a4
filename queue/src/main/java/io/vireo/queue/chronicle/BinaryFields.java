package io.vireo.queue.chronicle;

import io.vireo.queue.SpoolException;
import java.time.Instant;
import net.openhft.chronicle.bytes.Bytes;

/** Reads and writes the field types the spool's records are made of, on Chronicle's {@link Bytes}. */
final class BinaryFields {
  private BinaryFields() {}

  /** Writes a record's type and version bytes. */
  static void writeHeader(Bytes<?> out, byte type) {
    out.writeByte(type);
    out.writeByte(RecordCodes.VERSION_1);
  }

  /** Reads a record's type byte without consuming it; -1 for an empty document. */
  static int peekType(Bytes<?> in) {
    return in.readRemaining() == 0 ? -1 : in.peekUnsignedByte();
  }

  /** Consumes the type and version bytes, failing if either is not what this reader understands. */
  static void readHeader(Bytes<?> in, byte expectedType) {
    byte type = in.readByte();
    if (type != expectedType) {
      throw new SpoolException(
          "expected a spool record of type '" + (char) expectedType + "', found code " + type);
    }
    byte version = in.readByte();
    if (version != RecordCodes.VERSION_1) {
      throw new SpoolException(
          "spool record '"
              + (char) type
              + "' has version "
              + version
              + "; this build reads version "
              + RecordCodes.VERSION_1
              + " (was the spool written by a newer Vireo?)");
    }
  }

  /** A UTF-8 string with a stop-bit length; null is allowed. */
  static void writeString(Bytes<?> out, String value) {
    out.writeUtf8(value);
  }

  static String readString(Bytes<?> in) {
    return in.readUtf8();
  }

  static String readRequiredString(Bytes<?> in, String field) {
    String value = in.readUtf8();
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

  /** A presence flag as one byte, 0 or 1 (spelled out so the format does not follow Chronicle's). */
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

  static int readCount(Bytes<?> in, String what) {
    long count = in.readStopBit();
    if (count < 0 || count > Integer.MAX_VALUE) {
      throw new SpoolException("spool record has an impossible " + what + ": " + count);
    }
    return (int) count;
  }
}
