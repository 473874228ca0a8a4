package io.vireo.relay.delivery.smtp;

import io.vireo.relay.protocol.SmtpCommand;
import io.vireo.relay.protocol.SmtpCommandRenderer;
import io.vireo.relay.protocol.SmtpReply;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The byte level of one client connection: a socket (plain, later perhaps TLS), a reply reader, a
 * write buffer, and a deadline on every read and write. Writes a command as its record renders
 * ({@link SmtpCommandRenderer}) and knows nothing of which one comes when.
 */
final class ClientTransport implements AutoCloseable {
  private static final int WRITE_BUFFER = 8192;
  private static final byte[] CRLF = {'\r', '\n'};

  private final Socket rawSocket;
  private final WriteWatchdog watchdog;
  private final ReplyReader reader;
  private final byte[] writeBuffer = new byte[WRITE_BUFFER];
  private final WireOutput wireOutput = new WireOutput();
  private Socket socket;
  private OutputStream out;
  private int buffered;
  private Duration writeTimeout;

  private ClientTransport(Socket rawSocket, String name, Duration writeTimeout) throws IOException {
    this.rawSocket = rawSocket;
    this.writeTimeout = writeTimeout;
    this.socket = rawSocket;
    this.out = rawSocket.getOutputStream();
    this.reader = new ReplyReader(rawSocket.getInputStream());
    this.watchdog = new WriteWatchdog(name, this::closeQuietly);
  }

  /**
   * Connects within {@code connectTimeout}; {@code writeTimeout} bounds writes until a caller names
   * another one.
   */
  static ClientTransport connect(
      InetSocketAddress address, Duration connectTimeout, Duration writeTimeout, String name)
      throws IOException {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.connect(address, timeoutMillis(connectTimeout));
      return new ClientTransport(socket, name, writeTimeout);
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /** Buffers one command, rendered from its record; nothing is sent until {@link #flush}. */
  void command(SmtpCommand command) throws IOException {
    line(SmtpCommandRenderer.render(command));
  }

  /**
   * Buffers one line that is not a command: a SASL response (RFC 4954 section 4) or the lone dot
   * that ends DATA; nothing is sent until {@link #flush}.
   */
  void line(String line) throws IOException {
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    for (byte b : bytes) {
      // A line break inside a command would start a second command the caller never meant to send.
      if (b == '\r' || b == '\n') {
        throw new IllegalArgumentException("line break inside an SMTP command");
      }
    }
    write(bytes, 0, bytes.length);
    write(CRLF, 0, 2);
  }

  /**
   * The stream that message content goes through; writes are buffered and bounded by {@code
   * timeout}.
   */
  OutputStream dataOutput(Duration timeout) {
    this.writeTimeout = timeout;
    return wireOutput;
  }

  /** Sends whatever is buffered; the whole write must finish within {@code timeout}. */
  void flush(Duration timeout) throws IOException {
    this.writeTimeout = timeout;
    drain();
  }

  SmtpReply readReply(Duration timeout) throws IOException {
    socket.setSoTimeout(timeoutMillis(timeout));
    return reader.read();
  }

  /**
   * True when the server sent something nobody asked for: an idle connection with unread bytes is
   * most likely carrying a 421 before the server hangs up (RFC 5321 section 3.8).
   */
  boolean hasUnsolicitedInput() {
    try {
      return reader.buffered() > 0 || rawSocket.getInputStream().available() > 0;
    } catch (IOException e) {
      return true;
    }
  }

  /**
   * Upgrades the connection after a 220 reply to STARTTLS. Refuses if the server sent anything past
   * that reply: such bytes were written in plain text and could be an attacker's injected replies
   * that would otherwise be read as if they came over TLS (RFC 3207 section 5, CVE-2011-0411).
   */
  void startTls(SSLContext context, String serverName, boolean verifyHostName, Duration timeout)
      throws IOException {
    if (hasUnsolicitedInput()) {
      throw new ProtocolException(
          "server sent data after its STARTTLS reply; refusing to continue");
    }
    SSLSocket tls =
        (SSLSocket)
            context
                .getSocketFactory()
                .createSocket(rawSocket, serverName, rawSocket.getPort(), true);
    tls.setUseClientMode(true);
    SSLParameters parameters = tls.getSSLParameters();
    if (verifyHostName) {
      // RFC 6125 / RFC 7817 name matching; the HTTPS rules are the JDK's implementation of it.
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
    }
    if (isHostName(serverName)) {
      parameters.setServerNames(List.of(new SNIHostName(serverName)));
    }
    tls.setSSLParameters(parameters);
    tls.setSoTimeout(timeoutMillis(timeout));
    watchdog.arm(timeout);
    try {
      tls.startHandshake();
    } finally {
      watchdog.disarm();
    }
    socket = tls;
    out = tls.getOutputStream();
    reader.switchTo(tls.getInputStream());
  }

  boolean isTls() {
    return socket instanceof SSLSocket;
  }

  /** The TLS session after {@link #startTls}; null before. */
  javax.net.ssl.SSLSession tlsSession() {
    return socket instanceof SSLSocket tls ? tls.getSession() : null;
  }

  @Override
  public void close() {
    watchdog.close();
    closeQuietly();
  }

  // The plain socket goes first: closing it never blocks and wakes a thread stuck in a write,
  // whereas
  // an SSLSocket's close may wait for the lock that such a writer holds.
  private void closeQuietly() {
    try {
      rawSocket.close();
    } catch (IOException e) {
      // Nothing to do: the connection is being discarded.
    }
    try {
      socket.close();
    } catch (IOException e) {
      // As above.
    }
  }

  private void write(byte[] bytes, int offset, int length) throws IOException {
    if (length >= WRITE_BUFFER) {
      drain();
      timedWrite(bytes, offset, length);
      return;
    }
    if (buffered + length > WRITE_BUFFER) {
      drain();
    }
    System.arraycopy(bytes, offset, writeBuffer, buffered, length);
    buffered += length;
  }

  private void drain() throws IOException {
    if (buffered > 0) {
      int n = buffered;
      buffered = 0;
      timedWrite(writeBuffer, 0, n);
    }
  }

  private void timedWrite(byte[] bytes, int offset, int length) throws IOException {
    Duration timeout = writeTimeout;
    watchdog.arm(timeout);
    try {
      out.write(bytes, offset, length);
    } catch (IOException e) {
      if (watchdog.expired()) {
        throw new SocketTimeoutException("write did not complete within " + timeout);
      }
      throw e;
    } finally {
      watchdog.disarm();
    }
  }

  private static boolean isHostName(String name) {
    // SNI carries DNS names only (RFC 6066 section 3), never address literals.
    return name != null
        && !name.isEmpty()
        && !name.startsWith("[")
        && !name.contains(":")
        && !name.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
  }

  private static int timeoutMillis(Duration timeout) {
    return Math.clamp(timeout.toMillis(), 1, Integer.MAX_VALUE);
  }

  /** The buffered, deadline-guarded output as a stream, for the dot-stuffer to write into. */
  private final class WireOutput extends OutputStream {
    @Override
    public void write(int b) throws IOException {
      ClientTransport.this.write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      ClientTransport.this.write(bytes, offset, length);
    }

    @Override
    public void flush() throws IOException {
      drain();
    }
  }
}
