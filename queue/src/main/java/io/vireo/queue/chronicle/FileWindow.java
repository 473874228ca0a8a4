package io.vireo.queue.chronicle;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import net.openhft.chronicle.bytes.Bytes;

/**
 * A read-only view of a journal file through one memory-mapped window at a time, so files larger
 * than a {@code ByteBuffer} can address (a busy hour's cycle can exceed 2 GiB) are read without
 * Chronicle, which cannot read past damage.
 */
final class FileWindow implements AutoCloseable {
  /** Window size; far above the largest Chronicle document (a quarter of its 64 MiB block). */
  private static final long WINDOW = 256L << 20;

  /** Bytes read at a time when looking for data past a gap. */
  private static final int SCAN_BUFFER = 1 << 20;

  private final FileChannel channel;
  private final long size;
  private MappedByteBuffer buffer;
  private Bytes<?> bytes;
  private long start = -1;
  private long end = -1;

  FileWindow(Path file) throws IOException {
    this.channel = FileChannel.open(file, StandardOpenOption.READ);
    this.size = channel.size();
  }

  long size() {
    return size;
  }

  /** The little-endian int at {@code position}; the caller checks {@code position + 4 <= size}. */
  int intAt(long position) throws IOException {
    ensure(position, Integer.BYTES);
    return buffer.getInt((int) (position - start));
  }

  byte byteAt(long position) throws IOException {
    ensure(position, 1);
    return buffer.get((int) (position - start));
  }

  /**
   * Bytes whose read position and limit frame {@code [position, position + length)}; valid until
   * the next call on this window.
   */
  Bytes<?> frame(long position, int length) throws IOException {
    ensure(position, length);
    long offset = position - start;
    bytes.readPositionRemaining(offset, length);
    return bytes;
  }

  /** Copies {@code [from, to)} out of the file (for quarantine). */
  byte[] copy(long from, long to) throws IOException {
    byte[] copy = new byte[(int) (to - from)];
    java.nio.ByteBuffer target = java.nio.ByteBuffer.wrap(copy);
    long at = from;
    while (target.hasRemaining()) {
      int n = channel.read(target, at);
      if (n < 0) {
        break;
      }
      at += n;
    }
    return copy;
  }

  /**
   * The first 4-byte-aligned position at or after {@code from} whose int is not zero, or -1 when
   * the rest of the file is zeros (Chronicle pre-allocates files, so an intact one ends in zeros).
   * Read with plain reads, not through the mapping: the pre-allocated tail is a hole, and on tmpfs
   * every page of a hole read through a mapping takes real memory (a restart on a nearly full tmpfs
   * died with SIGBUS), while read(2) of a hole costs nothing.
   */
  long nextNonZero(long from) throws IOException {
    java.nio.ByteBuffer buffer =
        java.nio.ByteBuffer.allocate(SCAN_BUFFER).order(ByteOrder.LITTLE_ENDIAN);
    long position = from;
    while (position + Integer.BYTES <= size) {
      buffer.clear();
      int read = channel.read(buffer, position);
      if (read < Integer.BYTES) {
        return -1;
      }
      int usable = read - (read % Integer.BYTES);
      int offset = 0;
      // Eight bytes at a time through the zeros, then the exact int.
      while (offset + Long.BYTES <= usable && buffer.getLong(offset) == 0) {
        offset += Long.BYTES;
      }
      while (offset + Integer.BYTES <= usable) {
        if (buffer.getInt(offset) != 0) {
          return position + offset;
        }
        offset += Integer.BYTES;
      }
      position += usable;
    }
    return -1;
  }

  private void ensure(long position, int length) throws IOException {
    if (position >= start && position + length <= end) {
      return;
    }
    release();
    start = position & ~4095L;
    long mapped = Math.min(Math.max(WINDOW, position + length - start), size - start);
    buffer = channel.map(FileChannel.MapMode.READ_ONLY, start, mapped);
    buffer.order(ByteOrder.LITTLE_ENDIAN);
    bytes = Bytes.wrapForRead(buffer);
    end = start + mapped;
  }

  private void release() {
    if (bytes != null) {
      bytes.releaseLast();
      bytes = null;
    }
    buffer = null;
    start = -1;
    end = -1;
  }

  @Override
  public void close() throws IOException {
    release();
    channel.close();
  }
}
