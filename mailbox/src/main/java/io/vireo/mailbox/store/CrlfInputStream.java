package io.vireo.mailbox.store;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Serves a file with bare LF line ends (as Dovecot's LDA stores mail) with CRLF, as IMAP and POP3
 * need. Reads the file a chunk at a time and converts in memory, copying the runs between LFs in
 * bulk: asking the file per octet (a system call each) made a 10,000-message FETCH of bodies take
 * hours.
 */
final class CrlfInputStream extends FilterInputStream {
  private static final int CHUNK = 16 * 1024;

  private final byte[] chunk = new byte[CHUNK];
  private final byte[] one = new byte[1];
  private int chunkPosition;
  private int chunkLength;
  private int previous = -1;
  private boolean pendingLf;

  CrlfInputStream(InputStream in) {
    super(in);
  }

  @Override
  public int read() throws IOException {
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] into, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    int n = 0;
    if (pendingLf) {
      pendingLf = false;
      previous = '\n';
      into[offset + n++] = '\n';
    }
    while (n < length) {
      if (chunkPosition == chunkLength) {
        if (n > 0) {
          break; // return what is here rather than wait for more
        }
        int read = in.read(chunk, 0, CHUNK);
        if (read <= 0) {
          return -1;
        }
        chunkPosition = 0;
        chunkLength = read;
      }
      // Copy the run up to the next LF (or as much as fits) in one go.
      int limit = Math.min(chunkLength, chunkPosition + (length - n));
      int lf = chunkPosition;
      while (lf < limit && chunk[lf] != '\n') {
        lf++;
      }
      int run = lf - chunkPosition;
      if (run > 0) {
        System.arraycopy(chunk, chunkPosition, into, offset + n, run);
        n += run;
        chunkPosition = lf;
        previous = chunk[lf - 1];
      }
      if (lf == limit) {
        continue;
      }
      // chunk[lf] is an LF and there is room for at least one octet.
      chunkPosition++;
      if (previous != '\r') {
        into[offset + n++] = '\r';
        if (n == length) {
          pendingLf = true;
          previous = '\r';
          break;
        }
      }
      into[offset + n++] = '\n';
      previous = '\n';
    }
    return n;
  }

  @Override
  public int available() throws IOException {
    return (pendingLf ? 1 : 0) + (chunkLength - chunkPosition) + in.available();
  }

  @Override
  public long skip(long n) throws IOException {
    byte[] scratch = new byte[(int) Math.min(CHUNK, Math.max(n, 1))];
    long skipped = 0;
    while (skipped < n) {
      int read = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
      if (read < 0) {
        break;
      }
      skipped += read;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}
