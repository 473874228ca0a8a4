package io.vireo.relay.tls;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of TLS for the listeners: the JDK's TLS with this relay's certificate, TLS 1.2
 * and 1.3 only (RFC 8996 retired the older versions), the server's cipher order preferred. Shared
 * by every session; thread-safe.
 *
 * <p>Loaded from PEM files, it looks at them (two {@code stat}s) before each handshake and reads
 * them again when they changed, so a renewed certificate is used without a restart; a new pair that
 * cannot be used (half written, key and certificate not matching) is logged and the old one kept.
 */
public final class TlsServerContext {
  private static final Logger log = LoggerFactory.getLogger(TlsServerContext.class);
  static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
  private static final char[] STORE_PASSWORD = new char[0];

  /** One certificate in use, with the file versions it was read from (null when not from files). */
  private record Loaded(
      SSLContext context, SSLParameters parameters, X509Certificate leaf, Object version) {}

  private final Path certFile;
  private final Path keyFile;
  private final ReentrantLock reload = new ReentrantLock();
  private volatile Loaded loaded;

  private TlsServerContext(Path certFile, Path keyFile, Loaded loaded) {
    this.certFile = certFile;
    this.keyFile = keyFile;
    this.loaded = loaded;
  }

  /**
   * Reads {@code tls.cert-file} and {@code tls.key-file} (see {@link PemKeyMaterial#load}) and
   * watches them for changes.
   */
  public static TlsServerContext load(Path certFile, Path keyFile) throws IOException {
    Objects.requireNonNull(certFile, "certFile");
    Objects.requireNonNull(keyFile, "keyFile");
    Object version = version(certFile, keyFile);
    return new TlsServerContext(
        certFile, keyFile, build(PemKeyMaterial.load(certFile, keyFile), version));
  }

  /** A context for fixed key material, never reloaded. */
  public static TlsServerContext of(PemKeyMaterial material) throws IOException {
    return new TlsServerContext(null, null, build(material, null));
  }

  /** The protocol versions offered. */
  public List<String> protocols() {
    return List.of(current().parameters().getProtocols());
  }

  /** The certificate presented now, leaf of the chain. */
  public X509Certificate certificate() {
    return current().leaf();
  }

  /**
   * A server-mode TLS socket over the connected {@code tcp} socket, its handshake not yet run.
   * Closing it closes {@code tcp}.
   */
  public SSLSocket layer(Socket tcp) throws IOException {
    Loaded now = current();
    SSLSocket socket = (SSLSocket) now.context().getSocketFactory().createSocket(tcp, null, true);
    socket.setUseClientMode(false);
    socket.setSSLParameters(now.parameters());
    return socket;
  }

  private Loaded current() {
    Loaded known = loaded;
    if (certFile == null) {
      return known;
    }
    Object version;
    try {
      version = version(certFile, keyFile);
    } catch (IOException e) {
      log.warn("cannot look at {} / {}: {}", certFile, keyFile, e.toString());
      return known;
    }
    if (version.equals(known.version())) {
      return known;
    }
    reload.lock();
    try {
      if (!version.equals(loaded.version())) {
        try {
          loaded = build(PemKeyMaterial.load(certFile, keyFile), version);
          log.info(
              "TLS certificate read again from {}: {}, valid until {}",
              certFile,
              loaded.leaf().getSubjectX500Principal().getName(),
              loaded.leaf().getNotAfter().toInstant());
        } catch (IOException e) {
          log.error("TLS certificate files changed but cannot be used; keeping the old ones: {}",
              e.getMessage());
          // Not read again until the files change once more.
          loaded = new Loaded(known.context(), known.parameters(), known.leaf(), version);
        }
      }
      return loaded;
    } finally {
      reload.unlock();
    }
  }

  private static Loaded build(PemKeyMaterial material, Object version) throws IOException {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("server", material.key(), STORE_PASSWORD, material.certificateArray());
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, STORE_PASSWORD);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), null, null);
      return new Loaded(context, parameters(context), material.chain().getFirst(), version);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot set up TLS with the configured certificate: " + e, e);
    }
  }

  private static SSLParameters parameters(SSLContext context) {
    SSLParameters parameters = context.getDefaultSSLParameters();
    List<String> supported = Arrays.asList(context.getSupportedSSLParameters().getProtocols());
    parameters.setProtocols(PROTOCOLS.stream().filter(supported::contains).toArray(String[]::new));
    parameters.setUseCipherSuitesOrder(true);
    // Clients of a relay present no certificates; asking for one only slows the handshake.
    parameters.setNeedClientAuth(false);
    parameters.setWantClientAuth(false);
    return parameters;
  }

  /** Modification time, size and file key of both files: what a rewrite or a rename changes. */
  private static Object version(Path certFile, Path keyFile) throws IOException {
    return List.of(attributes(certFile), attributes(keyFile));
  }

  private static List<Object> attributes(Path file) throws IOException {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return List.of(a.lastModifiedTime(), a.size(), String.valueOf(a.fileKey()));
    } catch (NoSuchFileException e) {
      return List.of("missing");
    }
  }
}
