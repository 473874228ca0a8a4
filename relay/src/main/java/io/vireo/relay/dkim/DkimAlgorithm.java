package io.vireo.relay.dkim;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;

/** The signing algorithms, named as in the {@code a=} tag; which one follows from the key. */
public enum DkimAlgorithm {
  /** RFC 6376 section 3.3.1: RSASSA-PKCS1-v1_5 over SHA-256 of the signed data. */
  RSA_SHA256("rsa-sha256", "rsa"),
  /**
   * RFC 8463 section 3: PureEdDSA (Ed25519) over the SHA-256 hash of the signed data, so the data
   * is hashed first and the 32-octet hash is what Ed25519 signs.
   */
  ED25519_SHA256("ed25519-sha256", "ed25519");

  private final String tag;
  private final String keyType;

  DkimAlgorithm(String tag, String keyType) {
    this.tag = tag;
    this.keyType = keyType;
  }

  /** The {@code a=} value. */
  public String tag() {
    return tag;
  }

  /** The {@code k=} value of the DNS key record. */
  public String keyType() {
    return keyType;
  }

  /** Signs {@code data} (the canonical headers and the signature header without its b= value). */
  byte[] sign(PrivateKey key, byte[] data) throws GeneralSecurityException {
    return switch (this) {
      case RSA_SHA256 -> {
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(key);
        rsa.update(data);
        yield rsa.sign();
      }
      case ED25519_SHA256 -> {
        Signature ed = Signature.getInstance("Ed25519");
        ed.initSign(key);
        ed.update(MessageDigest.getInstance("SHA-256").digest(data));
        yield ed.sign();
      }
    };
  }
}
