package io.vireo.relay.tls;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * Client-side TLS that verifies the server: its certificate chain against the CAs of a PEM file or,
 * without one, the JVM's default trust store, and its host name (or IP address) against the
 * certificate ({@link #parameters()}). TLS 1.2 and 1.3 only, as for the listeners.
 */
public final class VerifyingTlsClient {
  private VerifyingTlsClient() {}

  /**
   * A context trusting the certificates of {@code caFile} (and nothing else), or the JVM's default
   * trust store when empty.
   *
   * @param key the configuration key naming the file, for the messages
   * @throws IOException starting with {@code key} and the file when it cannot be used
   */
  public static SSLContext context(Optional<Path> caFile, String key) throws IOException {
    try {
      if (caFile.isEmpty()) {
        return SSLContext.getDefault();
      }
      List<X509Certificate> trusted = PemCertificates.read(caFile.get(), key);
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      for (int i = 0; i < trusted.size(); i++) {
        store.setCertificateEntry("ca-" + i, trusted.get(i));
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException(
          key + " " + caFile.map(Path::toString).orElse("(JVM trust store)") + ": " + e, e);
    }
  }

  /**
   * For each client socket: TLS 1.3 and 1.2, and the server's identity checked during the handshake
   * (RFC 6125 as for HTTPS: the name asked for, or the IP address, in the certificate).
   */
  public static SSLParameters parameters() {
    SSLParameters parameters = new SSLParameters();
    parameters.setProtocols(TlsServerContext.PROTOCOLS.toArray(String[]::new));
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    return parameters;
  }
}
