package io.vireo.bench.load;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One blocking SMTP client connection: buffered output, and a reply reader that gives each whole
 * reply (all its lines) at most the reply timeout, so a server that trickles bytes cannot stall a
 * worker forever.
 */
final class SmtpClientConnection implements Closeable {
  // RFC 5321 section 4.5.3.1.5: a reply line is at most 512 octets; allow slack for chatty servers.
  private static final int MAX_REPLY_LINE = 4096;
  private static final int INPUT_BUFFER = 4096;

  private final Socket plain;
  // The TLS socket over plain once STARTTLS succeeded; only the worker's own thread replaces it.
  private Socket socket;
  private InputStream in;
  private BufferedOutputStream out;
  private final int outputBuffer;
  private final LongSupplier nanoTicker;
  private final long replyTimeoutNanos;
  private final byte[] buffer = new byte[INPUT_BUFFER];
  private final byte[] line = new byte[MAX_REPLY_LINE];
  private int position;
  private int limit;

  private SmtpClientConnection(
      Socket socket, int outputBuffer, LongSupplier nanoTicker, Duration replyTimeout)
      throws IOException {
    this.plain = socket;
    this.socket = socket;
    this.in = socket.getInputStream();
    this.out = new BufferedOutputStream(socket.getOutputStream(), outputBuffer);
    this.outputBuffer = outputBuffer;
    this.nanoTicker = nanoTicker;
    this.replyTimeoutNanos = replyTimeout.toNanos();
  }

  /** Connects within {@code timeout}; the same timeout later bounds every reply. */
  static SmtpClientConnection open(
      InetSocketAddress address, Duration timeout, int outputBuffer, LongSupplier nanoTicker)
      throws IOException {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(address, (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
      return new SmtpClientConnection(socket, outputBuffer, nanoTicker, timeout);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  OutputStream output() {
    return out;
  }

  void send(byte[] command) throws IOException {
    out.write(command);
    out.flush();
  }

  void flush() throws IOException {
    out.flush();
  }

  /**
   * Shakes hands for TLS on this connection after the server's {@code 220} to STARTTLS, bounded by
   * the reply timeout; every later command and reply goes through TLS.
   *
   * @throws SmtpProtocolException if the server sent anything after its 220: such bytes were sent in
   *     plaintext and must not be read as if they came over TLS (RFC 3207 section 4.2)
   */
  void startTls(BenchTls tls, String host, int port) throws IOException {
    if (position != limit) {
      throw new SmtpProtocolException("the server sent data behind its 220 to STARTTLS");
    }
    socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE,
        TimeUnit.NANOSECONDS.toMillis(replyTimeoutNanos))));
    Socket secure = tls.handshake(socket, host, port);
    socket = secure;
    in = secure.getInputStream();
    out = new BufferedOutputStream(secure.getOutputStream(), outputBuffer);
  }

  /** Reads one reply and returns its code, discarding the text. */
  int readReplyCode() throws IOException {
    return readReply(null);
  }

  /** Reads one reply with its text lines. */
  Reply readFullReply() throws IOException {
    List<String> lines = new ArrayList<>(8);
    int code = readReply(lines);
    return new Reply(code, lines);
  }

  private int readReply(List<String> lines) throws IOException {
    long deadline = nanoTicker.getAsLong() + replyTimeoutNanos;
    int code = -1;
    while (true) {
      int length = readLine(deadline);
      if (length < 3) {
        throw new SmtpProtocolException("reply line too short: '" + text(0, length) + "'");
      }
      int lineCode = replyCode(length);
      if (code != -1 && lineCode != code) {
        // RFC 5321 section 4.2.1: every line of a multiline reply carries the same code.
        throw new SmtpProtocolException("reply code changed from " + code + " to " + lineCode);
      }
      code = lineCode;
      if (lines != null) {
        lines.add(length > 4 ? text(4, length) : "");
      }
      if (length == 3 || line[3] == ' ') {
        return code;
      }
      if (line[3] != '-') {
        throw new SmtpProtocolException("bad reply separator: '" + text(0, length) + "'");
      }
    }
  }

  private int replyCode(int length) throws SmtpProtocolException {
    int code = 0;
    for (int i = 0; i < 3; i++) {
      byte b = line[i];
      if (b < '0' || b > '9') {
        throw new SmtpProtocolException("reply does not start with a code: '" + text(0, length) + "'");
      }
      code = code * 10 + (b - '0');
    }
    return code;
  }

  /** Reads one reply line (CRLF or, leniently, LF terminated) into {@link #line}; returns its length. */
  private int readLine(long deadline) throws IOException {
    int length = 0;
    while (true) {
      if (position == limit) {
        fill(deadline);
      }
      byte b = buffer[position++];
      if (b == '\n') {
        return length > 0 && line[length - 1] == '\r' ? length - 1 : length;
      }
      if (length == line.length) {
        throw new SmtpProtocolException("reply line longer than " + MAX_REPLY_LINE + " bytes");
      }
      line[length++] = b;
    }
  }

  private void fill(long deadline) throws IOException {
    long remaining = deadline - nanoTicker.getAsLong();
    if (remaining <= 0) {
      throw new SocketTimeoutException("no complete reply within the reply timeout");
    }
    socket.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE,
        TimeUnit.NANOSECONDS.toMillis(remaining + 999_999))));
    int read = in.read(buffer, 0, buffer.length);
    if (read < 0) {
      throw new EOFException("server closed the connection");
    }
    position = 0;
    limit = read;
  }

  private String text(int from, int to) {
    return new String(line, from, Math.max(0, to - from), StandardCharsets.UTF_8);
  }

  /** Closes politely (a TLS close_notify first, when under TLS); for the worker's own thread. */
  @Override
  public void close() throws IOException {
    try {
      socket.close();
    } finally {
      plain.close();
    }
  }

  /**
   * Closes the TCP connection from another thread, unblocking a read there; without a TLS alert,
   * which would have to wait for the blocked thread's lock.
   */
  void abort() throws IOException {
    plain.close();
  }
}
