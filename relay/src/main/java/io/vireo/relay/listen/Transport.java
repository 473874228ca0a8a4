package io.vireo.relay.listen;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLSocket;

/**
 * The byte stream under one session: a TCP connection that STARTTLS (RFC 3207) upgrades to TLS in
 * place. The session reads and writes through {@link #input()} and {@link #output()}, which stay
 * the same objects across the upgrade and always reach the current layer, so the session's reader
 * and reply writer never need to be rebuilt.
 *
 * <p>Read and written by the session thread only; {@link #wakeReader()}, {@link #abort()} and
 * {@link #isWriteStalled} may be called from other threads: the first two act on the TCP socket,
 * which is safe whatever layer is on top. Every write through {@link #output()} is timed, so the
 * listener's watchdog can tell a client that stopped reading from one that is merely slow (a
 * socket write has no timeout of its own).
 */
public final class Transport {
  /**
   * Unread client bytes at close make TCP send a reset, which can destroy our last reply in flight.
   */
  private static final int DRAIN_LIMIT = 64 * 1024;

  private final Socket tcp;
  private final InputStream input = new CurrentInput();
  private final OutputStream output = new CurrentOutput();
  private Socket current;
  private InputStream in;
  private OutputStream out;
  private TlsSession tls;
  private int readTimeoutMillis = -1;
  private volatile long writeStartedNanos;
  private volatile boolean writing;

  public Transport(Socket tcp) throws IOException {
    this.tcp = tcp;
    use(tcp);
  }

  /** The client's bytes, from the current layer: plain TCP, or TLS after an upgrade. */
  public InputStream input() {
    return input;
  }

  /** Bytes to the client, through the current layer. */
  public OutputStream output() {
    return output;
  }

  /** The TLS session once the handshake has completed, else empty. */
  public Optional<TlsSession> tls() {
    return Optional.ofNullable(tls);
  }

  /** Sets the timeout of every following read (the TLS handshake's included). */
  public void readTimeout(Duration timeout) throws IOException {
    int millis = (int) Math.clamp(timeout.toMillis(), 1L, Integer.MAX_VALUE);
    if (millis != readTimeoutMillis) {
      current.setSoTimeout(millis);
      readTimeoutMillis = millis;
    }
  }

  public void noDelay() throws IOException {
    tcp.setTcpNoDelay(true);
  }

  /**
   * Runs the server side of a TLS handshake over this connection and makes TLS the current layer.
   * The caller must already have dropped any plaintext it buffered (RFC 3207 section 6): bytes read
   * from here on are TLS records.
   *
   * @param layer an unconnected-handshake socket layered over {@link #tcp()} by the caller's
   *     {@link io.vireo.relay.tls.TlsServerContext}
   * @throws IOException if the handshake fails; the connection is then unusable
   */
  public TlsSession upgrade(SSLSocket layer) throws IOException {
    if (tls != null) {
      throw new IllegalStateException("TLS is already active");
    }
    layer.setSoTimeout(Math.max(readTimeoutMillis, 0));
    layer.startHandshake();
    use(layer);
    tls = TlsSession.of(layer.getSession());
    return tls;
  }

  /** The TCP socket, for layering TLS over it. */
  public Socket tcp() {
    return tcp;
  }

  /**
   * Makes a read blocked on this connection return (end of input) without closing it, so a final
   * reply can still be written. Safe from any thread.
   */
  public void wakeReader() throws IOException {
    tcp.shutdownInput();
  }

  /**
   * Closes after the last reply: ends our direction first (a TLS close_notify, then FIN), drains
   * what the client still sent, within a bound, so TCP does not reset and destroy that reply, then
   * closes. The TCP socket is closed whatever fails on the way.
   */
  public void close() throws IOException {
    if (tcp.isClosed()) {
      return;
    }
    try {
      current.shutdownOutput();
      InputStream raw = tcp.getInputStream();
      int budget = DRAIN_LIMIT;
      while (budget > 0 && raw.available() > 0) {
        long skipped = raw.skip(Math.min(budget, raw.available()));
        if (skipped <= 0) {
          break;
        }
        budget -= (int) skipped;
      }
    } finally {
      // Closing TCP under an SSLSocket is enough: it holds nothing else, and its own close could
      // block writing to a client that stopped reading.
      tcp.close();
    }
  }

  /**
   * Whether a write (or flush) has been blocked for longer than {@code limitNanos} at time {@code
   * nowNanos} ({@link System#nanoTime()}). Safe from any thread.
   */
  public boolean isWriteStalled(long nowNanos, long limitNanos) {
    return writing && nowNanos - writeStartedNanos > limitNanos;
  }

  /** Closes the connection at once, from any thread. */
  public void abort() throws IOException {
    tcp.close();
  }

  private void use(Socket socket) throws IOException {
    current = socket;
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  private final class CurrentInput extends InputStream {
    @Override
    public int read() throws IOException {
      return in.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return in.read(b, off, len);
    }

    @Override
    public int available() throws IOException {
      return in.available();
    }
  }

  private final class CurrentOutput extends OutputStream {
    @Override
    public void write(int b) throws IOException {
      started();
      try {
        out.write(b);
      } finally {
        writing = false;
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      started();
      try {
        out.write(b, off, len);
      } finally {
        writing = false;
      }
    }

    @Override
    public void flush() throws IOException {
      started();
      try {
        out.flush();
      } finally {
        writing = false;
      }
    }

    private void started() {
      writeStartedNanos = System.nanoTime();
      writing = true;
    }
  }
}
