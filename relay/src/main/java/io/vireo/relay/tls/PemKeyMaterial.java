package io.vireo.relay.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * A certificate chain and its private key read from PEM files, as operators get them from an ACME
 * client or {@code openssl}: the chain leaf first, the key RSA or EC in PKCS#8 ({@code BEGIN
 * PRIVATE KEY}) or the traditional OpenSSL form ({@code BEGIN RSA PRIVATE KEY}, {@code BEGIN EC
 * PRIVATE KEY}). Bouncy Castle parses the key's PEM and ASN.1; the key itself becomes a JDK key, so
 * the TLS that uses it is the JDK's own.
 *
 * @param chain the certificates, leaf first; not empty
 * @param key the leaf certificate's private key
 */
public record PemKeyMaterial(List<X509Certificate> chain, PrivateKey key) {
  public PemKeyMaterial {
    chain = List.copyOf(chain);
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("no certificate");
    }
  }

  /**
   * Reads both files and checks that the key belongs to the leaf certificate.
   *
   * @throws IOException naming the file (and the config key) that is missing, unreadable, in the
   *     wrong format, encrypted, or not matching
   */
  public static PemKeyMaterial load(Path certFile, Path keyFile) throws IOException {
    List<X509Certificate> chain = PemCertificates.read(certFile, "tls.cert-file");
    PrivateKey key = readKey(keyFile);
    if (!matches(chain.getFirst(), key)) {
      throw new IOException(
          "tls.key-file "
              + keyFile
              + " does not belong to the first certificate in tls.cert-file "
              + certFile);
    }
    return new PemKeyMaterial(chain, key);
  }

  private static PrivateKey readKey(Path file) throws IOException {
    Object object;
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      // Bounded: a key file holds a few blocks (an EC file may start with EC PARAMETERS).
      for (int block = 0; block < 16 && (object = parser.readObject()) != null; block++) {
        switch (object) {
          case PEMKeyPair pair -> {
            return converter.getPrivateKey(pair.getPrivateKeyInfo());
          }
          case PrivateKeyInfo info -> {
            return converter.getPrivateKey(info);
          }
          case PEMEncryptedKeyPair encrypted -> throw encrypted(file);
          case PKCS8EncryptedPrivateKeyInfo encrypted -> throw encrypted(file);
          default -> {
            // EC PARAMETERS and the like: skip to the key.
          }
        }
      }
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("tls.")) {
        throw e;
      }
      throw new IOException("tls.key-file " + file + ": cannot read a PEM key (" + e + ")", e);
    }
    throw new IOException(
        "tls.key-file "
            + file
            + ": no private key found (expected BEGIN PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE"
            + " KEY)");
  }

  private static IOException encrypted(Path file) {
    return new IOException(
        "tls.key-file "
            + file
            + ": the key is encrypted; store it unencrypted, readable only by the relay's user"
            + " (openssl pkey -in KEY -out KEY.plain)");
  }

  /** Signs a random challenge with the key and verifies it with the certificate's public key. */
  private static boolean matches(X509Certificate leaf, PrivateKey key) throws IOException {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          case "Ed25519", "EdDSA" -> "Ed25519";
          default ->
              throw new IOException("tls.key-file: unsupported key type " + key.getAlgorithm());
        };
    try {
      byte[] challenge = new byte[32];
      new SecureRandom().nextBytes(challenge);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(leaf.getPublicKey());
      verifier.update(challenge);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** The chain as the JDK's key store wants it. */
  Certificate[] certificateArray() {
    return chain.toArray(new Certificate[0]);
  }
}
