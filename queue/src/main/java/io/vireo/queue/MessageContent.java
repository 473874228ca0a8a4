package io.vireo.queue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.Checksum;

/**
 * The raw bytes of a message (header and body, CRLF line endings, not dot-stuffed), held as a list of
 * chunks so a large message is never copied into one big array. Immutable once built.
 */
public final class MessageContent {
  /** Largest chunk: also the unit the spool journals, well below Chronicle's excerpt limit. */
  public static final int MAX_CHUNK = 1 << 20;

  private final List<byte[]> chunks;
  private final long size;

  private MessageContent(List<byte[]> chunks, long size) {
    this.chunks = chunks;
    this.size = size;
  }

  public static MessageContent of(byte[] bytes) {
    Builder builder = new Builder();
    builder.write(bytes, 0, bytes.length);
    return builder.build();
  }

  public static MessageContent ofChunks(List<byte[]> chunks) {
    long size = 0;
    for (byte[] chunk : chunks) {
      size += chunk.length;
    }
    return new MessageContent(List.copyOf(chunks), size);
  }

  public long size() {
    return size;
  }

  /** Read-only views of the chunks, in order. */
  public List<ByteBuffer> chunks() {
    List<ByteBuffer> views = new ArrayList<>(chunks.size());
    for (byte[] chunk : chunks) {
      views.add(ByteBuffer.wrap(chunk).asReadOnlyBuffer());
    }
    return views;
  }

  public int chunkCount() {
    return chunks.size();
  }

  public InputStream openStream() {
    List<InputStream> streams = new ArrayList<>(chunks.size());
    for (byte[] chunk : chunks) {
      streams.add(new java.io.ByteArrayInputStream(chunk));
    }
    return new SequenceInputStream(Collections.enumeration(streams));
  }

  /**
   * Writes every octet to {@code out}, chunk by chunk, without copying: the stream is handed the
   * chunks themselves (like {@link ByteArrayOutputStream#writeTo}), so it must not keep or change
   * them.
   */
  public void writeTo(OutputStream out) throws IOException {
    for (byte[] chunk : chunks) {
      out.write(chunk, 0, chunk.length);
    }
  }

  /** Feeds every octet to {@code checksum} without copying. */
  public void update(Checksum checksum) {
    for (byte[] chunk : chunks) {
      checksum.update(chunk, 0, chunk.length);
    }
  }

  /** One contiguous copy; for small messages and tests. */
  public byte[] toByteArray() {
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("message too large for one array: " + size);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) size);
    for (byte[] chunk : chunks) {
      out.writeBytes(chunk);
    }
    return out.toByteArray();
  }

  /**
   * Accumulates content as it arrives. Chunks start small (most mail is a few KB) and double up to
   * {@link #MAX_CHUNK}, so a 4 KB message costs one small array and a 40 MB one about 40 arrays.
   * Not thread-safe: one session owns one builder.
   */
  public static final class Builder {
    private static final int FIRST_CHUNK = 8 * 1024;

    private final List<byte[]> full = new ArrayList<>();
    // Allocated on the first write, not ahead: a session builds one message after another.
    private byte[] current;
    private int used;
    private long size;

    public Builder write(byte[] bytes, int offset, int length) {
      while (length > 0) {
        if (current == null) {
          current = new byte[FIRST_CHUNK];
        } else if (used == current.length) {
          full.add(current);
          current = new byte[Math.min(MAX_CHUNK, current.length * 2)];
          used = 0;
        }
        int n = Math.min(length, current.length - used);
        System.arraycopy(bytes, offset, current, used, n);
        used += n;
        offset += n;
        length -= n;
        size += n;
      }
      return this;
    }

    public Builder write(byte[] bytes) {
      return write(bytes, 0, bytes.length);
    }

    public long size() {
      return size;
    }

    /** Drops what was written so the builder can be reused for the next transaction. */
    public void reset() {
      full.clear();
      current = null;
      used = 0;
      size = 0;
    }

    public MessageContent build() {
      List<byte[]> chunks = new ArrayList<>(full.size() + 1);
      chunks.addAll(full);
      if (used > 0) {
        // Trim the last chunk; the copy is at most one chunk, never the whole message.
        chunks.add(used == current.length ? current : java.util.Arrays.copyOf(current, used));
      }
      MessageContent content = new MessageContent(List.copyOf(chunks), size);
      full.clear();
      current = null;
      used = 0;
      size = 0;
      return content;
    }
  }
}
