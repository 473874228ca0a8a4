package io.vireo.relay.server;

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
 * <p>Read and written by the session thread only; {@link #wakeReader()} and {@link #abort()} may be
 * called from other threads and act on the TCP socket, which is safe whatever layer is on top.
 */
final class Transport {
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

  Transport(Socket tcp) throws IOException {
    this.tcp = tcp;
    use(tcp);
  }

  /** The client's bytes, from the current layer: plain TCP, or TLS after an upgrade. */
  InputStream input() {
    return input;
  }

  /** Bytes to the client, through the current layer. */
  OutputStream output() {
    return output;
  }

  /** The TLS session once the handshake has completed, else empty. */
  Optional<TlsSession> tls() {
    return Optional.ofNullable(tls);
  }

  /** Sets the timeout of every following read (the TLS handshake's included). */
  void readTimeout(Duration timeout) throws IOException {
    int millis = (int) Math.clamp(timeout.toMillis(), 1L, Integer.MAX_VALUE);
    if (millis != readTimeoutMillis) {
      current.setSoTimeout(millis);
      readTimeoutMillis = millis;
    }
  }

  void noDelay() throws IOException {
    tcp.setTcpNoDelay(true);
  }

  /**
   * Runs the server side of a TLS handshake over this connection and makes TLS the current layer.
   * The caller must already have dropped any plaintext it buffered (RFC 3207 section 6): bytes read
   * from here on are TLS records.
   *
   * @param layer an unconnected-handshake socket layered over {@link #tcp()} by the caller's
   *     {@link TlsServerContext}
   * @throws IOException if the handshake fails; the connection is then unusable
   */
  TlsSession upgrade(SSLSocket layer) throws IOException {
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
  Socket tcp() {
    return tcp;
  }

  /**
   * Makes a read blocked on this connection return (end of input) without closing it, so a final
   * reply can still be written. Safe from any thread.
   */
  void wakeReader() throws IOException {
    tcp.shutdownInput();
  }

  /**
   * Closes after the last reply: ends our direction first (a TLS close_notify, then FIN), drains
   * what the client still sent, within a bound, so TCP does not reset and destroy that reply, then
   * closes. The TCP socket is closed whatever fails on the way.
   */
  void close() throws IOException {
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

  /** Closes the connection at once, from any thread. */
  void abort() throws IOException {
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
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
      out.flush();
    }
  }
}
