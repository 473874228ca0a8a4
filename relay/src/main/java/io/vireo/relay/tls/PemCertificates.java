package io.vireo.relay.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Reads the X.509 certificates of a PEM file: a chain for {@code tls.cert-file}, a bundle of CAs
 * for {@code cluster.redis-ca-file}. The JDK's certificate factory reads the sequence of {@code
 * BEGIN CERTIFICATE} blocks itself.
 */
public final class PemCertificates {
  private PemCertificates() {}

  /**
   * The certificates in {@code file}, in file order; not empty.
   *
   * @param key the configuration key that names the file, for the messages
   * @throws IOException starting with {@code key} and the file, when it is missing, unreadable,
   *     holds no certificate or a broken one
   */
  public static List<X509Certificate> read(Path file, String key) throws IOException {
    List<X509Certificate> certificates;
    try (InputStream in = Files.newInputStream(file)) {
      certificates =
          CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
              .map(X509Certificate.class::cast)
              .toList();
    } catch (CertificateException e) {
      throw new IOException(
          key + " " + file + ": not a PEM certificate chain (" + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw new IOException(key + " " + file + ": cannot read (" + e + ")", e);
    }
    if (certificates.isEmpty()) {
      throw new IOException(key + " " + file + ": no PEM certificate found");
    }
    return certificates;
  }
}
