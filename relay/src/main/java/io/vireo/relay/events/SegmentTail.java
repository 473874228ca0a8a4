package io.vireo.relay.events;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** The end of a segment: where its last complete line ends, and that line's sequence. */
final class SegmentTail {
  private static final int STEP = 4096;

  private SegmentTail() {}

  /** The offset just after the last newline before {@code size}; 0 when there is none. */
  static long endOfLastLine(FileChannel channel, long size) throws IOException {
    long pos = size;
    ByteBuffer buffer = ByteBuffer.allocate(STEP);
    while (pos > 0) {
      int n = (int) Math.min(STEP, pos);
      buffer.clear().limit(n);
      channel.read(buffer, pos - n);
      for (int i = n - 1; i >= 0; i--) {
        if (buffer.get(i) == '\n') {
          return pos - n + i + 1;
        }
      }
      pos -= n;
    }
    return 0;
  }

  /** The sequence of the complete line ending at {@code end}, or -1 for none or unreadable. */
  static long lastSequence(FileChannel channel, long end) throws IOException {
    if (end == 0) {
      return -1;
    }
    long start = endOfLastLine(channel, end - 1);
    int length = (int) Math.min(end - 1 - start, EventJson.MAX_LINE);
    ByteBuffer line = ByteBuffer.allocate(length);
    channel.read(line, start);
    try {
      return EventJson.sequence(EventJson.parse(line.array(), 0, line.position()).eventId());
    } catch (IllegalArgumentException e) {
      return -1;
    }
  }
}
