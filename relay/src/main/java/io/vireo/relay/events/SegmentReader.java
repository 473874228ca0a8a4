package io.vireo.relay.events;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads complete lines of one segment from an offset, up to a limit. */
final class SegmentReader {
  /** A line without its newline, and the offset just after the newline. */
  record Line(byte[] bytes, long next) {}

  /** The complete lines found; {@code end} is where the chunk read stopped. */
  record Chunk(List<Line> lines, long end) {}

  private SegmentReader() {}

  static Chunk read(Path file, long offset, long limit, int chunk) throws IOException {
    int length = (int) Math.min(chunk, limit - offset);
    ByteBuffer buffer = ByteBuffer.allocate(length);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      while (buffer.hasRemaining()) {
        int n = channel.read(buffer, offset + buffer.position());
        if (n < 0) {
          break;
        }
      }
    } catch (NoSuchFileException e) {
      return new Chunk(List.of(), limit);
    }
    byte[] bytes = buffer.array();
    int filled = buffer.position();
    List<Line> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < filled; i++) {
      if (bytes[i] == '\n') {
        lines.add(new Line(Arrays.copyOfRange(bytes, start, i), offset + i + 1));
        start = i + 1;
      }
    }
    return new Chunk(lines, offset + filled);
  }
}
