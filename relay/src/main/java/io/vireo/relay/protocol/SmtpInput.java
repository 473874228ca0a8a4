package io.vireo.relay.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * The buffered client side of one SMTP connection: bounded command lines, and the raw octets that
 * the DATA and BDAT readers of this package consume. Every read is bounded; nothing here grows with
 * what the client sends.
 *
 * <p>Before each read from the stream (the buffer is used up, so the read may block), the {@code
 * beforeBlockingRead} hook runs: the session flushes its buffered replies there, as RFC 2920
 * section 3.2 wants before the server waits for input. It runs even when more input is already on
 * the wire: asking first (an {@code available()} ioctl per read) cost more than the rare extra
 * reply write it saves. Not thread-safe: one session owns one instance.
 */
public final class SmtpInput {
  /** RFC 5321 section 4.5.3.1.4: a command line is at most 512 octets including the CRLF. */
  public static final int MAX_COMMAND_LINE = 512;

  private static final int DEFAULT_BUFFER = 4096;

  private final InputStream in;
  private final BlockingReadHook beforeBlockingRead;
  private final byte[] lineBuffer = new byte[MAX_COMMAND_LINE - 2];
  final byte[] buffer;
  int position;
  int limit;

  public SmtpInput(InputStream in, int bufferSize, BlockingReadHook beforeBlockingRead) {
    this.in = Objects.requireNonNull(in, "in");
    this.beforeBlockingRead = Objects.requireNonNull(beforeBlockingRead, "beforeBlockingRead");
    if (bufferSize < 64) {
      throw new IllegalArgumentException("buffer too small: " + bufferSize);
    }
    this.buffer = new byte[bufferSize];
  }

  public SmtpInput(InputStream in) {
    this(in, DEFAULT_BUFFER, () -> {});
  }

  /** Runs before a read that may block; the session flushes its pending replies here. */
  @FunctionalInterface
  public interface BlockingReadHook {
    void run() throws IOException;
  }

  /** Whether the client's next octets are already in this buffer (asks no system call). */
  public boolean hasBufferedInput() {
    return position < limit;
  }

  /** Whether a read would return without blocking: octets are buffered or already on the wire. */
  public boolean hasInput() throws IOException {
    return position < limit || in.available() > 0;
  }

  /**
   * Waits (as long as the stream's read timeout allows) until at least one octet is readable.
   *
   * @return true if input arrived, false at end of input
   */
  public boolean awaitInput() throws IOException {
    return position < limit || fill();
  }

  /**
   * Reads one command line. A line longer than {@link #MAX_COMMAND_LINE} or containing a bare CR or
   * LF (RFC 5321 section 2.3.8) is read to its end, at the next LF, and reported as {@link
   * CommandLine.Malformed}: the session answers it and stays in step.
   */
  public CommandLine readCommandLine() throws IOException {
    int length = 0;
    boolean tooLong = false;
    boolean bareLineEnding = false;
    boolean pendingCr = false;
    while (true) {
      if (position == limit && !fill()) {
        return new CommandLine.EndOfInput();
      }
      byte b = buffer[position++];
      if (b == '\n') {
        if (!pendingCr) {
          bareLineEnding = true;
        }
        if (tooLong) {
          return new CommandLine.Malformed(Replies.LINE_TOO_LONG);
        }
        if (bareLineEnding) {
          return new CommandLine.Malformed(Replies.BARE_LINE_ENDING);
        }
        return new CommandLine.Line(Arrays.copyOf(lineBuffer, length));
      }
      if (pendingCr) {
        bareLineEnding = true;
        pendingCr = false;
      }
      if (b == '\r') {
        pendingCr = true;
      } else if (length < lineBuffer.length) {
        lineBuffer[length++] = b;
      } else {
        tooLong = true;
      }
    }
  }

  /**
   * Drops every octet already buffered and returns how many there were. After STARTTLS, whatever
   * the client sent behind the command in plaintext must not be read as if it came over TLS (RFC
   * 3207 section 6, CVE-2011-0411).
   */
  public int discardBuffered() {
    int dropped = limit - position;
    position = 0;
    limit = 0;
    return dropped;
  }

  /**
   * Reads and drops exactly {@code count} octets (a refused BDAT chunk).
   *
   * @return false if the input ended first
   */
  public boolean discard(long count) throws IOException {
    long remaining = count;
    while (remaining > 0) {
      if (position == limit && !fill()) {
        return false;
      }
      int n = (int) Math.min(remaining, limit - position);
      position += n;
      remaining -= n;
    }
    return true;
  }

  /**
   * Refills the empty buffer with one read.
   *
   * @return false at end of input
   */
  boolean fill() throws IOException {
    beforeBlockingRead.run();
    int n = in.read(buffer, 0, buffer.length);
    if (n < 0) {
      position = 0;
      limit = 0;
      return false;
    }
    position = 0;
    limit = n;
    return true;
  }
}
