package io.vireo.relay.server;

import io.vireo.relay.protocol.SmtpReply;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Buffers a session's replies and writes them in order. Replies are only sent when the session
 * flushes (before it would block reading, RFC 2920 section 3.2) or when the buffer fills, so a
 * pipelined batch of commands is answered with one write. (The transport times each write, for
 * the listener's watchdog.)
 */
final class ReplyWriter {
  private static final int CAPACITY = 1024;

  private final OutputStream out;
  private final byte[] buffer = new byte[CAPACITY];
  private int count;

  ReplyWriter(OutputStream out) {
    this.out = out;
  }

  void send(SmtpReply reply) throws IOException {
    byte[] bytes = reply.toBytes();
    if (count + bytes.length > buffer.length) {
      flush();
    }
    if (bytes.length > buffer.length) {
      write(bytes, bytes.length);
      return;
    }
    System.arraycopy(bytes, 0, buffer, count, bytes.length);
    count += bytes.length;
  }

  void flush() throws IOException {
    if (count > 0) {
      write(buffer, count);
      count = 0;
    }
  }

  private void write(byte[] bytes, int length) throws IOException {
    out.write(bytes, 0, length);
    out.flush();
  }
}
