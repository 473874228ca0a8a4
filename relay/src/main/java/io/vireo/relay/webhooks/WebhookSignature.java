package io.vireo.relay.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code Vireo-Signature} header: {@code t=UNIX_SECONDS,v1=HEX(HMAC-SHA256(secret, t + "." +
 * body))}. The time is signed with the body, so a receiver that checks it is recent also rejects a
 * replayed request (the scheme Stripe's webhooks use).
 */
public final class WebhookSignature {
  public static final String HEADER = "Vireo-Signature";

  private final SecretKeySpec key;

  public WebhookSignature(byte[] secret) {
    if (secret.length == 0) {
      throw new IllegalArgumentException("the webhook secret is empty");
    }
    this.key = new SecretKeySpec(secret, "HmacSHA256");
  }

  /** The header value for {@code body} sent at {@code unixSeconds}. */
  public String sign(long unixSeconds, byte[] body) {
    Mac mac;
    try {
      mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
    String t = Long.toString(unixSeconds);
    mac.update(t.getBytes(StandardCharsets.US_ASCII));
    mac.update((byte) '.');
    mac.update(body);
    return "t=" + t + ",v1=" + HexFormat.of().formatHex(mac.doFinal());
  }
}
