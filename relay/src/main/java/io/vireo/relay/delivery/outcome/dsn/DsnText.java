package io.vireo.relay.delivery.outcome.dsn;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Text rules shared by the parts of a DSN: RFC 5322 dates, xtext decoding (RFC 3461 section 4), RFC
 * 6533 escapes for non-ASCII addresses, and folding of header-style fields to safe line lengths.
 */
final class DsnText {
  static final String CRLF = "\r\n";

  /**
   * RFC 5322 section 3.3 date-time with a numeric zone, e.g. {@code Tue, 3 Jun 2025 09:15:00
   * +0000}.
   */
  private static final DateTimeFormatter RFC_5322 =
      DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx", Locale.US);

  /**
   * Fold before this many characters where a space allows it (RFC 5322 section 2.1.1 SHOULD 78).
   */
  private static final int FOLD_AT = 78;

  /** Longest unbroken word kept in a folded field; longer ones are cut so no line exceeds 998. */
  private static final int MAX_WORD = 900;

  private DsnText() {}

  static String date(Instant instant, ZoneId zone) {
    return RFC_5322.format(instant.atZone(zone));
  }

  /**
   * Decodes RFC 3461 section 4 xtext ({@code +2B} is {@code +}). The DSN fields carry the decoded
   * value (RFC 3461 sections 4.2 and 4.4); the queue keeps the xtext form the client sent. Returns
   * the input unchanged when it is not valid xtext or decodes to something other than printable
   * ASCII, which RFC 3461 requires of the decoded value.
   */
  static String decodeXtext(String xtext) {
    if (xtext.indexOf('+') < 0) {
      return xtext;
    }
    StringBuilder out = new StringBuilder(xtext.length());
    for (int i = 0; i < xtext.length(); i++) {
      char c = xtext.charAt(i);
      if (c != '+') {
        // xchar (RFC 3461 section 4): "!" to "~" except "+" and "="; anything else is not xtext.
        if (c < '!' || c > '~' || c == '=') {
          return xtext;
        }
        out.append(c);
        continue;
      }
      if (i + 2 >= xtext.length()
          || !isUpperHex(xtext.charAt(i + 1))
          || !isUpperHex(xtext.charAt(i + 2))) {
        return xtext;
      }
      int decoded = HexFormat.fromHexDigits(xtext, i + 1, i + 3);
      if (decoded < 0x20 || decoded > 0x7e) {
        return xtext;
      }
      out.append((char) decoded);
      i += 2;
    }
    return out.toString();
  }

  /**
   * An {@code address-type; address} value for Original-Recipient from the ORCPT parameter as the
   * client gave it: rfc822 addresses are xtext-decoded, other types (such as RFC 6533 utf-8) are
   * already in their DSN form.
   */
  static String originalRecipient(String orcpt) {
    int semicolon = orcpt.indexOf(';');
    if (semicolon < 0) {
      return "rfc822; " + decodeXtext(orcpt.strip());
    }
    String type = orcpt.substring(0, semicolon).strip();
    String address = orcpt.substring(semicolon + 1).strip();
    if (type.equalsIgnoreCase("rfc822")) {
      address = decodeXtext(address);
    }
    return type + "; " + address;
  }

  /**
   * The Final-Recipient value for an envelope address: {@code rfc822; addr} for ASCII addresses,
   * otherwise the RFC 6533 section 3 {@code utf-8} type with {@code \x{HEX}} escapes, so the field
   * stays 7-bit.
   */
  static String finalRecipient(String address) {
    if (isAscii(address)) {
      return "rfc822; " + address;
    }
    return "utf-8; " + utf8AddrXtext(address);
  }

  /** RFC 6533 utf-8-addr-xtext: non-ASCII, controls, '+', '=' and '\' become {@code \x{HEX}}. */
  static String utf8AddrXtext(String address) {
    StringBuilder out = new StringBuilder(address.length() + 16);
    address
        .codePoints()
        .forEach(
            cp -> {
              if (cp > 0x20 && cp < 0x7f && cp != '+' && cp != '=' && cp != '\\') {
                out.append((char) cp);
              } else {
                out.append("\\x{")
                    .append(Integer.toHexString(cp).toUpperCase(Locale.ROOT))
                    .append('}');
              }
            });
    return out.toString();
  }

  /**
   * Adds {@code defaultType; } when a typed field value (Remote-MTA, Diagnostic-Code) lacks a type.
   */
  static String typed(String value, String defaultType) {
    String stripped = value.strip();
    int semicolon = stripped.indexOf(';');
    // A type is an atom before ';' (RFC 3464 section 2.1.2); "550 x; y" has a space, so it is text.
    if (semicolon > 0 && stripped.substring(0, semicolon).strip().matches("[A-Za-z0-9-]+")) {
      String type = stripped.substring(0, semicolon).strip();
      return type + "; " + stripped.substring(semicolon + 1).strip();
    }
    return defaultType + "; " + stripped;
  }

  /** The text after the type of a typed value, for the human-readable part. */
  static String untyped(String typedValue) {
    int semicolon = typedValue.indexOf(';');
    return semicolon < 0 ? typedValue : typedValue.substring(semicolon + 1).strip();
  }

  /**
   * Printable ASCII only: controls (CR and LF included, so no value can inject a field) become
   * spaces, non-ASCII characters become {@code ?}, runs of spaces collapse, and the result is cut
   * to {@code maxLength}.
   */
  static String printable(String value, int maxLength) {
    StringBuilder out = new StringBuilder(Math.min(value.length(), maxLength));
    boolean lastSpace = false;
    for (int i = 0; i < value.length() && out.length() < maxLength; i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f || c == ' ') {
        if (!lastSpace && !out.isEmpty()) {
          out.append(' ');
        }
        lastSpace = true;
        continue;
      }
      out.append(c < 0x7f ? c : '?');
      lastSpace = false;
    }
    return out.toString().strip();
  }

  /**
   * Appends {@code Name: value CRLF}, folding at spaces so lines stay near 78 characters and never
   * exceed 998 (RFC 5322 section 2.2.3 folding, which RFC 3464 section 2.1.1 fields share).
   */
  static void appendField(StringBuilder out, String name, String value) {
    String text = printable(value, 4000);
    StringBuilder line = new StringBuilder(name).append(':');
    boolean first = true;
    for (String word : text.split(" ")) {
      if (word.isEmpty()) {
        continue;
      }
      if (word.length() > MAX_WORD) {
        word = word.substring(0, MAX_WORD);
      }
      if (!first && line.length() + 1 + word.length() > FOLD_AT) {
        out.append(line).append(CRLF);
        line.setLength(0);
      }
      line.append(' ').append(word);
      first = false;
    }
    out.append(line).append(CRLF);
  }

  static boolean isAscii(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) > 0x7f) {
        return false;
      }
    }
    return true;
  }

  static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private static boolean isUpperHex(char c) {
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
  }
}
