package io.vireo.mailbox.testing;

import io.vireo.mailbox.access.AccessChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * An {@link AccessChannel} over a plain socket, upgradable to TLS in place, for tests: the same
 * contract the relay's listener gives sessions (streams that follow the current layer).
 */
public final class SocketAccessChannel implements AccessChannel {
  private final SSLContext tls;
  private Socket socket;
  private final Socket plain;

  public SocketAccessChannel(Socket socket, SSLContext tls) {
    this.socket = socket;
    this.plain = socket;
    this.tls = tls;
  }

  @Override
  public InputStream input() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        return socket.getInputStream().read();
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return socket.getInputStream().read(b, off, len);
      }
    };
  }

  @Override
  public OutputStream output() {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        socket.getOutputStream().write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        socket.getOutputStream().write(b, off, len);
      }

      @Override
      public void flush() throws IOException {
        socket.getOutputStream().flush();
      }
    };
  }

  @Override
  public InetAddress clientAddress() {
    return plain.getInetAddress();
  }

  @Override
  public boolean secure() {
    return socket instanceof SSLSocket;
  }

  @Override
  public boolean tlsAvailable() {
    return tls != null;
  }

  @Override
  public void startTls() throws IOException {
    SSLSocket upgraded =
        (SSLSocket) tls.getSocketFactory().createSocket(plain, plain.getInetAddress().getHostAddress(), plain.getPort(), true);
    upgraded.setUseClientMode(false);
    upgraded.startHandshake();
    socket = upgraded;
  }

  @Override
  public void readTimeout(Duration timeout) throws IOException {
    socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
  }

  @Override
  public boolean draining() {
    return false;
  }

  void close() throws IOException {
    socket.close();
    plain.close();
  }
}
