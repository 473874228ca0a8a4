package io.vireo.relay.protocol;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * A recursive-descent parser for the paths of MAIL FROM and RCPT TO (RFC 5321 section 4.1.2, with
 * the RFC 6531 section 3.3 UTF-8 extensions), reading from a position in a command line.
 *
 * <p>The grammar itself decides where the domain is: an unquoted local part cannot contain
 * {@code @}, so the domain is always what follows the last unquoted {@code @}. A {@code %} or
 * {@code !} in the local part is just a character, and a quoted {@code @} stays inside the local
 * part. A source route is parsed and thrown away (RFC 5321 section 3.6.1 and appendix C). Whoever
 * judges relaying therefore sees the real domain and nothing else.
 */
final class PathParser {
  /** RFC 5321 section 4.5.3.1.1. */
  static final int MAX_LOCAL_PART_OCTETS = 64;

  /** RFC 5321 section 4.5.3.1.2. */
  static final int MAX_DOMAIN_OCTETS = 255;

  /** RFC 5321 section 4.5.3.1.3, including the angle brackets. */
  static final int MAX_PATH_OCTETS = 256;

  private static final int MAX_LABEL_LENGTH = 63;

  private final String text;
  private int pos;

  PathParser(String text, int start) {
    this.text = text;
    this.pos = start;
  }

  /** Where parsing stopped: just after the closing {@code >}. */
  int position() {
    return pos;
  }

  /** {@code Reverse-path = Path / "<>"}. */
  Optional<Mailbox> reversePath() {
    int start = pos;
    expect('<');
    if (peek() == '>') {
      pos++;
      return Optional.empty();
    }
    pos = start;
    return Optional.of(path(false));
  }

  /**
   * {@code Forward-path = Path}, plus the special {@code <Postmaster>} (RFC 5321 section 4.1.1.3).
   */
  Mailbox forwardPath() {
    return path(true);
  }

  private Mailbox path(boolean allowPostmaster) {
    int start = pos;
    expect('<');
    if (peek() == '@') {
      skipSourceRoute();
    }
    String localPart = localPart();
    if (peek() != '@') {
      if (allowPostmaster && localPart.equalsIgnoreCase("postmaster") && peek() == '>') {
        pos++;
        return new Mailbox(localPart, "");
      }
      throw PathException.SYNTAX;
    }
    pos++;
    String domain = peek() == '[' ? addressLiteral() : domain();
    expect('>');
    if (octets(localPart) > MAX_LOCAL_PART_OCTETS
        || octets(domain) > MAX_DOMAIN_OCTETS
        || octets(text.substring(start, pos)) > MAX_PATH_OCTETS) {
      throw PathException.TOO_LONG;
    }
    return new Mailbox(localPart, domain);
  }

  /**
   * {@code A-d-l ":"} where {@code A-d-l = At-domain *( "," At-domain )}: parsed, then discarded.
   */
  private void skipSourceRoute() {
    do {
      expect('@');
      domain();
    } while (accept(','));
    expect(':');
  }

  /** {@code Local-part = Dot-string / Quoted-string}, returned as written. */
  private String localPart() {
    int start = pos;
    if (peek() == '"') {
      pos++;
      while (true) {
        int c = next();
        if (c == '"') {
          break;
        }
        if (c == '\\') {
          int quoted = next();
          // quoted-pairSMTP = %d92 %d32-126
          if (quoted < 32 || quoted > 126) {
            throw PathException.SYNTAX;
          }
        } else if (!isQtext(c)) {
          throw PathException.SYNTAX;
        }
      }
    } else {
      atom();
      while (peek() == '.') {
        pos++;
        atom();
      }
    }
    return text.substring(start, pos);
  }

  private void atom() {
    int start = pos;
    while (pos < text.length() && isAtext(text.charAt(pos))) {
      pos++;
    }
    if (pos == start) {
      throw PathException.SYNTAX;
    }
  }

  /** {@code Domain = sub-domain *("." sub-domain)}; U-labels allowed (RFC 6531 section 3.3). */
  private String domain() {
    int start = pos;
    subDomain();
    while (peek() == '.') {
      pos++;
      subDomain();
    }
    return text.substring(start, pos);
  }

  /** {@code sub-domain = Let-dig [Ldh-str]}: letters, digits and inner hyphens. */
  private void subDomain() {
    int start = pos;
    if (!isLetDig(peek())) {
      throw PathException.SYNTAX;
    }
    pos++;
    while (isLetDig(peek()) || peek() == '-') {
      pos++;
    }
    if (text.charAt(pos - 1) == '-') {
      throw PathException.SYNTAX;
    }
    if (Mailbox.isAscii(text.substring(start, pos)) && pos - start > MAX_LABEL_LENGTH) {
      throw PathException.SYNTAX;
    }
  }

  /** {@code address-literal = "[" ( IPv4 / "IPv6:" IPv6 / General-address-literal ) "]"}. */
  private String addressLiteral() {
    int start = pos;
    expect('[');
    int contentStart = pos;
    while (isDcontent(peek())) {
      pos++;
    }
    String content = text.substring(contentStart, pos);
    expect(']');
    if (!isIpv4(content) && !isIpv6Literal(content) && !isGeneralLiteral(content)) {
      throw PathException.SYNTAX;
    }
    return text.substring(start, pos);
  }

  private static boolean isIpv4(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String part : parts) {
      if (part.isEmpty()
          || part.length() > 3
          || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return false;
      }
      if (Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }

  private static boolean isIpv6Literal(String s) {
    if (s.length() < 6 || !s.regionMatches(true, 0, "IPv6:", 0, 5)) {
      return false;
    }
    String address = s.substring(5);
    if (address.indexOf(':') < 0 || address.indexOf('%') >= 0) {
      return false;
    }
    try {
      // An IP literal: parsed without any name lookup.
      return InetAddress.ofLiteral(address) instanceof Inet6Address;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** {@code General-address-literal = Standardized-tag ":" 1*dcontent}. */
  private static boolean isGeneralLiteral(String s) {
    int colon = s.indexOf(':');
    if (colon <= 0 || colon == s.length() - 1) {
      return false;
    }
    String tag = s.substring(0, colon);
    if (tag.equalsIgnoreCase("IPv6")) {
      return false;
    }
    if (!isAsciiLetDig(tag.charAt(0)) || !isAsciiLetDig(tag.charAt(tag.length() - 1))) {
      return false;
    }
    return tag.chars().allMatch(c -> isAsciiLetDig(c) || c == '-');
  }

  // ---- character classes (RFC 5321 section 4.1.2, RFC 5322 section 3.2.3, RFC 6531 section 3.3)
  // ----

  private static boolean isAtext(int c) {
    return isAsciiLetDig(c) || "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0 || c >= 0x80;
  }

  /** {@code qtextSMTP = %d32-33 / %d35-91 / %d93-126 / UTF8-non-ascii}. */
  private static boolean isQtext(int c) {
    return (c >= 32 && c <= 126 && c != '"' && c != '\\') || c >= 0x80;
  }

  private static boolean isLetDig(int c) {
    return isAsciiLetDig(c) || c >= 0x80;
  }

  private static boolean isAsciiLetDig(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  }

  /** {@code dcontent = %d33-90 / %d94-126}. */
  private static boolean isDcontent(int c) {
    return (c >= 33 && c <= 90) || (c >= 94 && c <= 126);
  }

  private static int octets(String s) {
    return Mailbox.isAscii(s) ? s.length() : s.getBytes(StandardCharsets.UTF_8).length;
  }

  // ---- cursor ----

  private int peek() {
    return pos < text.length() ? text.charAt(pos) : -1;
  }

  private int next() {
    if (pos >= text.length()) {
      throw PathException.SYNTAX;
    }
    return text.charAt(pos++);
  }

  private boolean accept(char c) {
    if (peek() == c) {
      pos++;
      return true;
    }
    return false;
  }

  private void expect(char c) {
    if (!accept(c)) {
      throw PathException.SYNTAX;
    }
  }

  /** Why a path was refused; stackless, since it is control flow on a hot path fed by clients. */
  static final class PathException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    static final PathException SYNTAX = new PathException("path syntax");
    static final PathException TOO_LONG = new PathException("path too long");

    private PathException(String message) {
      super(message, null, false, false);
    }
  }
}
