package io.vireo.relay.tls;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The server side of TLS for the listeners: the JDK's TLS with this relay's certificate, TLS 1.2 and
 * 1.3 only (RFC 8996 retired the older versions), the server's cipher order preferred. Immutable and
 * shared by every session.
 */
public final class TlsServerContext {
  static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
  private static final char[] STORE_PASSWORD = new char[0];

  private final SSLContext context;
  private final SSLParameters parameters;

  private TlsServerContext(SSLContext context) {
    this.context = context;
    SSLParameters defaults = context.getDefaultSSLParameters();
    List<String> supported = Arrays.asList(context.getSupportedSSLParameters().getProtocols());
    String[] protocols = PROTOCOLS.stream().filter(supported::contains).toArray(String[]::new);
    defaults.setProtocols(protocols);
    defaults.setUseCipherSuitesOrder(true);
    // Clients of a relay present no certificates; asking for one only slows the handshake.
    defaults.setNeedClientAuth(false);
    defaults.setWantClientAuth(false);
    this.parameters = defaults;
  }

  /** Reads {@code tls.cert-file} and {@code tls.key-file}; see {@link PemKeyMaterial#load}. */
  public static TlsServerContext load(Path certFile, Path keyFile) throws IOException {
    return of(PemKeyMaterial.load(certFile, keyFile));
  }

  public static TlsServerContext of(PemKeyMaterial material) throws IOException {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("server", material.key(), STORE_PASSWORD, material.certificateArray());
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, STORE_PASSWORD);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return new TlsServerContext(context);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS with the configured certificate: " + e, e);
    }
  }

  /** The protocol versions offered. */
  public List<String> protocols() {
    return List.of(parameters.getProtocols());
  }

  /**
   * A server-mode TLS socket over the connected {@code tcp} socket, its handshake not yet run.
   * Closing it closes {@code tcp}.
   */
  public SSLSocket layer(Socket tcp) throws IOException {
    SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(tcp, null, true);
    socket.setUseClientMode(false);
    socket.setSSLParameters(parameters);
    return socket;
  }
}
