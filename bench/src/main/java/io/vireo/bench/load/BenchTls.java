package io.vireo.bench.load;

import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The load tool's TLS client: TLS 1.3 only, and it trusts any certificate, because it measures the
 * cost of TLS against a server on loopback with a throw-away self-signed certificate, not who the
 * server is. Never use this for anything but a benchmark.
 *
 * <p>One instance (one {@link SSLContext}) serves every connection of a run, so its client session
 * cache lets a new connection to the same server resume an earlier session (TLS 1.3 tickets) when
 * the server issues them, as a real client library with one context would.
 */
final class BenchTls {
  static final String PROTOCOL = "TLSv1.3";

  private final SSLSocketFactory factory;

  private BenchTls(SSLSocketFactory factory) {
    this.factory = factory;
  }

  static BenchTls trustingAnyCertificate() {
    try {
      SSLContext context = SSLContext.getInstance(PROTOCOL);
      context.init(null, new TrustManager[] {new TrustAll()}, null);
      return new BenchTls(context.getSocketFactory());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK offers no TLS 1.3 client", e);
    }
  }

  /**
   * Layers TLS over {@code plain} (after the server's {@code 220} to STARTTLS) and shakes hands
   * within the socket's current read timeout. Closing the returned socket closes {@code plain}.
   *
   * @param host the server's name, with {@code port} the key its sessions are cached under
   * @param port the server's port
   */
  SSLSocket handshake(Socket plain, String host, int port) throws IOException {
    SSLSocket socket = (SSLSocket) factory.createSocket(plain, host, port, true);
    try {
      socket.setUseClientMode(true);
      socket.setEnabledProtocols(new String[] {PROTOCOL});
      socket.startHandshake();
      return socket;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /** Accepts every server certificate: see the class comment. */
  private static final class TrustAll extends X509ExtendedTrustManager {
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
      throw new UnsupportedOperationException("client side only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
      throw new UnsupportedOperationException("client side only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {
      throw new UnsupportedOperationException("client side only");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
