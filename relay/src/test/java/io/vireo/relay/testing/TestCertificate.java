package io.vireo.relay.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate made for one test class by the JDK's own {@code keytool}, so TLS tests
 * need no checked-in key material. Generate it once per class (in {@code @BeforeAll}); keytool
 * takes about a second.
 */
public final class TestCertificate {
  private static final char[] PASSWORD = "vireo-test".toCharArray();
  private static final String ALIAS = "server";

  private final KeyStore keyStore;
  private final X509Certificate certificate;

  private TestCertificate(KeyStore keyStore) throws GeneralSecurityException {
    this.keyStore = keyStore;
    this.certificate = (X509Certificate) keyStore.getCertificate(ALIAS);
  }

  /**
   * Creates a key pair and a self-signed certificate for {@code dnsName} (also valid for 127.0.0.1)
   * in a PKCS12 file under {@code directory}.
   */
  public static TestCertificate generate(Path directory, String dnsName)
      throws IOException, GeneralSecurityException {
    Path keyStoreFile = directory.resolve("test-" + dnsName + ".p12");
    Files.deleteIfExists(keyStoreFile);
    List<String> command =
        List.of(
            keytool().toString(),
            "-genkeypair",
            "-alias",
            ALIAS,
            "-keyalg",
            "EC",
            "-groupname",
            "secp256r1",
            "-dname",
            "CN=" + dnsName,
            "-ext",
            "SAN=dns:" + dnsName + ",ip:127.0.0.1",
            "-validity",
            "2",
            "-storetype",
            "PKCS12",
            "-keystore",
            keyStoreFile.toString(),
            "-storepass",
            new String(PASSWORD),
            "-keypass",
            new String(PASSWORD),
            "-noprompt");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("keytool did not finish within 60 s");
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for keytool", e);
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      throw new IOException("keytool failed (" + process.exitValue() + "): " + output);
    }
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStoreFile)) {
      keyStore.load(in, PASSWORD);
    }
    return new TestCertificate(keyStore);
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /** A context for the server side of the handshake, presenting this certificate. */
  public SSLContext serverContext() throws GeneralSecurityException {
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(keyStore, PASSWORD);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }

  /** A client context that trusts this certificate and nothing else. */
  public SSLContext trustingClientContext() throws GeneralSecurityException, IOException {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("test-ca", certificate);
    TrustManagerFactory trustManagers =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trustManagers.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trustManagers.getTrustManagers(), null);
    return context;
  }

  // keytool ships next to the java launcher of the running JDK.
  private static Path keytool() throws IOException {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElseThrow(() -> new IOException("cannot tell which java runs this test"));
    Path keytool = Path.of(java).resolveSibling("keytool");
    if (!Files.isExecutable(keytool)) {
      throw new IOException("no keytool next to " + java);
    }
    return keytool;
  }
}
