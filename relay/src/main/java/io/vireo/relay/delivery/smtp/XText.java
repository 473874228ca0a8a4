package io.vireo.relay.delivery.smtp;

import java.nio.charset.StandardCharsets;

/** The xtext encoding of DSN parameters ENVID and ORCPT (RFC 3461 section 4). */
final class XText {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private XText() {}

  /**
   * Encodes {@code value}: printable ASCII other than {@code +} and {@code =} stays as is, every
   * other octet (of the UTF-8 form) becomes {@code +XX} with upper-case hex.
   */
  static String encode(String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder(bytes.length + 8);
    for (byte b : bytes) {
      int c = b & 0xff;
      if (c >= '!' && c <= '~' && c != '+' && c != '=') {
        out.append((char) c);
      } else {
        out.append('+').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return out.toString();
  }
}
