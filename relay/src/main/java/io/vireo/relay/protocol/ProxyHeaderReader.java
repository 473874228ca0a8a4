package io.vireo.relay.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads one PROXY protocol header, v1 (text) or v2 (binary), from the start of a connection and
 * not one byte more, so whatever follows (SMTP, or a TLS handshake on an implicit-TLS port) is left
 * in the stream for the session. Every length is bounded before anything is read.
 *
 * <p>Sections cited are those of HAProxy's proxy-protocol.txt.
 */
public final class ProxyHeaderReader {
  /** Section 2.1: a v1 line is at most 107 bytes, CRLF included. */
  static final int V1_MAX_LENGTH = 107;

  /**
   * Largest v2 address-and-TLV block taken. The spec allows 65535; a balancer sends 12 or 36 bytes
   * of addresses plus a few TLVs, so more than this is a broken or hostile peer.
   */
  static final int V2_MAX_BLOCK = 4096;

  private static final byte[] V1_PREFIX = "PROXY ".getBytes(StandardCharsets.US_ASCII);

  /** Section 2.2: the 12-byte v2 signature, chosen to never start a valid text protocol line. */
  private static final byte[] V2_SIGNATURE = {
    0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A
  };

  private static final int V1_PREFIX_LENGTH = V1_PREFIX.length;

  /** The start of the message when the connection ends before its first byte (a port probe). */
  public static final String CLOSED_BEFORE_HEADER = "connection closed before";

  private ProxyHeaderReader() {}

  /**
   * Reads and checks one header.
   *
   * @throws ProxyHeaderException if the bytes are not a valid header, or the stream ends first
   * @throws IOException if reading fails (a read timeout included)
   */
  public static ProxyHeader read(InputStream in) throws IOException {
    byte[] start = readExactly(in, V1_PREFIX_LENGTH);
    if (Arrays.equals(start, V1_PREFIX)) {
      return readV1(in);
    }
    if (Arrays.equals(start, 0, V1_PREFIX_LENGTH, V2_SIGNATURE, 0, V1_PREFIX_LENGTH)) {
      return readV2(in);
    }
    throw new ProxyHeaderException("not a PROXY protocol header");
  }

  // ---- v1 (section 2.1) ----

  private static ProxyHeader readV1(InputStream in) throws IOException {
    byte[] line = new byte[V1_MAX_LENGTH - V1_PREFIX_LENGTH];
    int length = 0;
    // One byte at a time: a buffered read could swallow the client's first bytes after the header.
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new ProxyHeaderException("connection closed inside the v1 header");
      }
      if (b == '\n') {
        if (length == 0 || line[length - 1] != '\r') {
          throw new ProxyHeaderException("v1 header line not ended by CRLF");
        }
        return parseV1(new String(line, 0, length - 1, StandardCharsets.US_ASCII));
      }
      if (length == line.length) {
        throw new ProxyHeaderException("v1 header longer than " + V1_MAX_LENGTH + " bytes");
      }
      line[length++] = (byte) b;
    }
  }

  private static ProxyHeader parseV1(String fields) throws ProxyHeaderException {
    if (fields.equals("UNKNOWN") || fields.startsWith("UNKNOWN ")) {
      return new ProxyHeader.Unrelayed(); // the rest of the line is to be ignored
    }
    String[] parts = fields.split(" ", -1);
    if (parts.length != 5) {
      throw new ProxyHeaderException("v1 header needs protocol, two addresses and two ports");
    }
    boolean ipv6 =
        switch (parts[0]) {
          case "TCP4" -> false;
          case "TCP6" -> true;
          default -> throw new ProxyHeaderException("unknown v1 protocol " + printable(parts[0]));
        };
    InetAddress source = ipv6 ? ipv6Literal(parts[1]) : ipv4Literal(parts[1]);
    InetAddress destination = ipv6 ? ipv6Literal(parts[2]) : ipv4Literal(parts[2]);
    return new ProxyHeader.Relayed(
        new InetSocketAddress(source, port(parts[3])),
        new InetSocketAddress(destination, port(parts[4])));
  }

  /** Four decimal bytes; shorthands that InetAddress takes, such as "127.1", are refused. */
  private static InetAddress ipv4Literal(String text) throws ProxyHeaderException {
    String[] octets = text.split("\\.", -1);
    if (octets.length != 4) {
      throw new ProxyHeaderException("bad IPv4 address " + printable(text));
    }
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      int value = decimal(octets[i], 3);
      if (value > 255) {
        throw new ProxyHeaderException("bad IPv4 address " + printable(text));
      }
      bytes[i] = (byte) value;
    }
    return address(bytes);
  }

  private static InetAddress ipv6Literal(String text) throws ProxyHeaderException {
    // Only hex digits, colons and dots (an embedded IPv4 tail): no zone, no brackets, never DNS.
    if (text.isEmpty()
        || text.length() > 45
        || !text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
      throw new ProxyHeaderException("bad IPv6 address " + printable(text));
    }
    try {
      return Inet6Address.ofLiteral(text);
    } catch (IllegalArgumentException e) {
      throw new ProxyHeaderException("bad IPv6 address " + printable(text));
    }
  }

  private static int port(String text) throws ProxyHeaderException {
    int value = decimal(text, 5);
    if (value > 65535) {
      throw new ProxyHeaderException("bad port " + printable(text));
    }
    return value;
  }

  private static int decimal(String text, int maxDigits) throws ProxyHeaderException {
    if (text.isEmpty()
        || text.length() > maxDigits
        || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new ProxyHeaderException("bad number " + printable(text));
    }
    return Integer.parseInt(text);
  }

  // ---- v2 (section 2.2) ----

  private static ProxyHeader readV2(InputStream in) throws IOException {
    byte[] rest = readExactly(in, 16 - V1_PREFIX_LENGTH);
    if (!Arrays.equals(
        rest, 0, 12 - V1_PREFIX_LENGTH, V2_SIGNATURE, V1_PREFIX_LENGTH, V2_SIGNATURE.length)) {
      throw new ProxyHeaderException("not a PROXY protocol header");
    }
    int versionCommand = rest[12 - V1_PREFIX_LENGTH] & 0xFF;
    int familyProtocol = rest[13 - V1_PREFIX_LENGTH] & 0xFF;
    int length =
        (rest[14 - V1_PREFIX_LENGTH] & 0xFF) << 8 | (rest[15 - V1_PREFIX_LENGTH] & 0xFF);
    if (versionCommand >> 4 != 2) {
      throw new ProxyHeaderException("unsupported v2 version " + (versionCommand >> 4));
    }
    int command = versionCommand & 0x0F;
    if (command > 1) {
      throw new ProxyHeaderException("unknown v2 command " + command);
    }
    if (length > V2_MAX_BLOCK) {
      throw new ProxyHeaderException("v2 header block of " + length + " bytes is too long");
    }
    byte[] block = readExactly(in, length);
    if (command == 0) {
      return new ProxyHeader.Unrelayed(); // LOCAL: the balancer speaking for itself
    }
    int family = familyProtocol >> 4;
    int protocol = familyProtocol & 0x0F;
    if (family > 3 || protocol > 2) {
      throw new ProxyHeaderException("unknown v2 address family or protocol " + familyProtocol);
    }
    if (protocol == 2) {
      throw new ProxyHeaderException("v2 header for a datagram connection");
    }
    int addressLength =
        switch (family) {
          case 1 -> 12; // AF_INET: two 4-byte addresses, two ports
          case 2 -> 36; // AF_INET6
          case 3 -> 216; // AF_UNIX: two 108-byte paths
          default -> 0; // AF_UNSPEC
        };
    if (length < addressLength) {
      throw new ProxyHeaderException("v2 address block shorter than its family needs");
    }
    skipTlvs(block, addressLength);
    if (family != 1 && family != 2) {
      return new ProxyHeader.Unrelayed();
    }
    int size = family == 1 ? 4 : 16;
    return new ProxyHeader.Relayed(
        new InetSocketAddress(
            address(Arrays.copyOfRange(block, 0, size)), unsignedShort(block, 2 * size)),
        new InetSocketAddress(
            address(Arrays.copyOfRange(block, size, 2 * size)),
            unsignedShort(block, 2 * size + 2)));
  }

  /**
   * Section 2.2.7: type-length-value fields fill the rest of the block. None is needed here, but
   * each must fit inside the block, so a truncated one is an error rather than a misread.
   */
  private static void skipTlvs(byte[] block, int offset) throws ProxyHeaderException {
    int at = offset;
    while (at < block.length) {
      if (block.length - at < 3) {
        throw new ProxyHeaderException("truncated v2 TLV");
      }
      int valueLength = unsignedShort(block, at + 1);
      at += 3;
      if (valueLength > block.length - at) {
        throw new ProxyHeaderException("v2 TLV longer than its header block");
      }
      at += valueLength;
    }
  }

  // ---- helpers ----

  private static byte[] readExactly(InputStream in, int count) throws IOException {
    byte[] bytes = in.readNBytes(count);
    if (bytes.length < count) {
      throw new ProxyHeaderException(
          bytes.length == 0
              ? CLOSED_BEFORE_HEADER + " the PROXY protocol header"
              : "connection closed inside the PROXY protocol header");
    }
    return bytes;
  }

  private static int unsignedShort(byte[] bytes, int at) {
    return (bytes[at] & 0xFF) << 8 | (bytes[at + 1] & 0xFF);
  }

  private static InetAddress address(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("a 4 or 16 byte address is always valid", e);
    }
  }

  /** Peer text quoted in an error message: at most 40 characters, control bytes escaped. */
  private static String printable(String text) {
    StringBuilder out = new StringBuilder("\"");
    text.chars()
        .limit(40)
        .forEach(c -> out.append(c >= 0x20 && c < 0x7F ? (char) c : "\\x%02x".formatted(c)));
    return out.append(text.length() > 40 ? "...\"" : "\"").toString();
  }
}
