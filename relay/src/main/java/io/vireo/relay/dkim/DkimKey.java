package io.vireo.relay.dkim;

import io.vireo.config.DkimConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMParser;

/**
 * One signing key: the domain and selector it signs for, the private key, the algorithm its type
 * gives, and the header fields to sign.
 *
 * @param headers the header field names to sign, in order; includes From
 */
public record DkimKey(
    String domain, String selector, PrivateKey key, DkimAlgorithm algorithm, List<String> headers) {
  /** RFC 8301 section 3.2: signers must use RSA keys of at least 1024 bits (2048 recommended). */
  private static final int MIN_RSA_BITS = 1024;

  public DkimKey {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(selector, "selector");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(algorithm, "algorithm");
    headers = List.copyOf(headers);
  }

  /**
   * Reads the key of {@code entry}, the {@code index}th of {@code dkim}.
   *
   * @throws IOException naming the config key and the file when it is missing, unreadable, not a
   *     PEM PKCS#8 key, of another type than RSA or Ed25519, or an RSA key under 1024 bits
   */
  public static DkimKey load(DkimConfig entry, int index) throws IOException {
    Path file = entry.keyFile();
    String where = "dkim[" + index + "].key-file " + file + ": ";
    PrivateKeyInfo info;
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      Object pem = parser.readObject();
      if (!(pem instanceof PrivateKeyInfo pkcs8)) {
        throw new IOException(
            where
                + "expected an unencrypted PEM PKCS#8 key (BEGIN PRIVATE KEY), found "
                + (pem == null ? "no PEM object" : pem.getClass().getSimpleName()));
      }
      info = pkcs8;
    } catch (IOException e) {
      throw e.getMessage() != null && e.getMessage().startsWith(where)
          ? e
          : new IOException(where + e.getMessage(), e);
    }
    ASN1ObjectIdentifier type = info.getPrivateKeyAlgorithm().getAlgorithm();
    try {
      PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(info.getEncoded());
      if (type.equals(PKCSObjectIdentifiers.rsaEncryption)) {
        PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(spec);
        int bits = ((RSAPrivateKey) key).getModulus().bitLength();
        if (bits < MIN_RSA_BITS) {
          throw new IOException(
              where + "an RSA key of " + bits + " bits; DKIM needs at least 1024");
        }
        return new DkimKey(
            entry.domain(), entry.selector(), key, DkimAlgorithm.RSA_SHA256, entry.headers());
      }
      if (type.equals(EdECObjectIdentifiers.id_Ed25519)) {
        PrivateKey key = KeyFactory.getInstance("Ed25519").generatePrivate(spec);
        return new DkimKey(
            entry.domain(), entry.selector(), key, DkimAlgorithm.ED25519_SHA256, entry.headers());
      }
    } catch (GeneralSecurityException e) {
      throw new IOException(where + "unreadable key: " + e.getMessage(), e);
    }
    throw new IOException(where + "a key of type " + type + "; DKIM signs with RSA or Ed25519");
  }
}
