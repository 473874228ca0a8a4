package io.vireo.relay.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * The xtext encoding of DSN parameters (RFC 3461 section 4): printable ASCII except {@code +} and
 * {@code =}, which appear only as {@code +XX} hex escapes. The server validates ENVID and ORCPT with it
 * and keeps them encoded; delivery decodes them and the SMTP client encodes them again on the way out.
 */
public final class Xtext {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private Xtext() {}

  /**
   * Encodes {@code value}: printable ASCII other than {@code +} and {@code =} stays as is, every
   * other octet (of the UTF-8 form) becomes {@code +XX} with upper-case hex.
   */
  public static String encode(String value) {
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

  /**
   * Decodes xtext: each {@code +XX} (hex, either case) becomes the octet it names, everything else
   * stays as is; the octets are read as UTF-8, so {@code decode(encode(s))} is {@code s}. A {@code
   * +} not followed by two hex digits is kept literally: the server only stores valid xtext, and a
   * lenient decoder cannot make a bad value worse.
   */
  public static String decode(String xtext) {
    if (xtext.indexOf('+') < 0) {
      return xtext;
    }
    ByteArrayOutputStream octets = new ByteArrayOutputStream(xtext.length());
    int i = 0;
    while (i < xtext.length()) {
      int c = xtext.codePointAt(i);
      if (c == '+'
          && i + 2 < xtext.length()
          && isHex(xtext.charAt(i + 1))
          && isHex(xtext.charAt(i + 2))) {
        octets.write(HexFormat.fromHexDigits(xtext, i + 1, i + 3));
        i += 3;
      } else {
        octets.writeBytes(Character.toString(c).getBytes(StandardCharsets.UTF_8));
        i += Character.charCount(c);
      }
    }
    return octets.toString(StandardCharsets.UTF_8);
  }


  public static boolean isValid(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '+') {
        // hexchar = "+" 2(%x30-39 / %x41-46); lower-case hex is accepted too.
        if (i + 2 >= s.length() || !isHex(s.charAt(i + 1)) || !isHex(s.charAt(i + 2))) {
          return false;
        }
        i += 2;
      } else if (c < 33 || c > 126 || c == '=') {
        return false;
      }
    }
    return true;
  }

  private static boolean isHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
  }
}
