package io.vireo.mailbox.store;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Serves a file with bare LF line ends (as Dovecot's LDA stores mail) with CRLF, as IMAP and POP3 need. */
final class CrlfInputStream extends FilterInputStream {
  private int previous = -1;
  private boolean pendingLf;

  CrlfInputStream(InputStream in) {
    super(in);
  }

  @Override
  public int read() throws IOException {
    if (pendingLf) {
      pendingLf = false;
      previous = '\n';
      return '\n';
    }
    int c = in.read();
    if (c == '\n' && previous != '\r') {
      pendingLf = true;
      previous = '\r';
      return '\r';
    }
    previous = c;
    return c;
  }

  @Override
  public int read(byte[] into, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    int n = 0;
    while (n < length) {
      int c = read();
      if (c < 0) {
        return n == 0 ? -1 : n;
      }
      into[offset + n++] = (byte) c;
      if (!pendingLf && in.available() == 0) {
        break;
      }
    }
    return n;
  }

  @Override
  public long skip(long n) throws IOException {
    long skipped = 0;
    while (skipped < n && read() >= 0) {
      skipped++;
    }
    return skipped;
  }

  @Override
  public boolean markSupported() {
    return false;
  }
}
