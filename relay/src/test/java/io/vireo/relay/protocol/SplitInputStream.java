package io.vireo.relay.protocol;

import java.io.InputStream;

/**
 * A client's octets as the socket might deliver them: at most {@code readSize} per read, so the
 * fuzz tests also cover every way a line or a dot can be split between reads.
 */
final class SplitInputStream extends InputStream {
  private final byte[] bytes;
  private final int readSize;
  private int position;

  SplitInputStream(byte[] bytes, int readSize) {
    this.bytes = bytes;
    this.readSize = Math.max(1, readSize);
  }

  @Override
  public int read() {
    return position < bytes.length ? bytes[position++] & 0xff : -1;
  }

  @Override
  public int read(byte[] into, int offset, int length) {
    if (length == 0) {
      return 0;
    }
    if (position >= bytes.length) {
      return -1;
    }
    int n = Math.min(Math.min(length, readSize), bytes.length - position);
    System.arraycopy(bytes, position, into, offset, n);
    position += n;
    return n;
  }

  /** Octets not read yet. */
  int remaining() {
    return bytes.length - position;
  }
}
