package io.vireo.relay.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes {@link ProxyHeaderReader}, the first code to see a connection's bytes behind a balancer.
 * Either half of an input chooses what the rest is:
 *
 * <ul>
 *   <li>any octets: the reader returns a header or refuses with a {@link ProxyHeaderException}
 *       (never another exception), whose message is printable ASCII because it is logged; it
 *       never reads past the longest header the spec allows (107 octets for v1, 16 plus the block
 *       bound for v2);
 *   <li>a well-formed v1 or v2 header built from the input (addresses, ports, TLVs, LOCAL and
 *       UNKNOWN forms) followed by any octets: the reader returns exactly the addresses encoded and
 *       leaves every octet after the header in the stream, since those are the client's first
 *       SMTP bytes or its TLS handshake.
 * </ul>
 *
 * Seeds and past findings: {@code ProxyHeaderReaderFuzzTestInputs/header}.
 */
class ProxyHeaderReaderFuzzTest {
  private static final byte[] V2_SIGNATURE = {
    0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A
  };

  @FuzzTest(maxDuration = "2m")
  void header(FuzzedDataProvider data) throws IOException {
    if (data.consumeBoolean()) {
      anyOctets(data.consumeRemainingAsBytes());
    } else {
      wellFormed(data);
    }
  }

  private static void anyOctets(byte[] input) throws IOException {
    ByteArrayInputStream in = new ByteArrayInputStream(input);
    try {
      ProxyHeaderReader.read(in);
    } catch (ProxyHeaderException e) {
      assertThat(e.getMessage()).matches("[\\x20-\\x7e]+");
    }
    int consumed = input.length - in.available();
    assertThat(consumed)
        .isLessThanOrEqualTo(
            Math.max(ProxyHeaderReader.V1_MAX_LENGTH, 16 + ProxyHeaderReader.V2_MAX_BLOCK));
  }

  private static void wellFormed(FuzzedDataProvider data) throws IOException {
    Expected header =
        switch (data.consumeInt(0, 3)) {
          case 0 -> v1(data);
          case 1 -> new Expected(ascii("PROXY UNKNOWN" + unknownTail(data) + "\r\n"), null);
          case 2 -> v2(data);
          default -> v2Local(data);
        };
    byte[] after = data.consumeRemainingAsBytes();
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    wire.writeBytes(header.octets());
    wire.writeBytes(after);
    ByteArrayInputStream in = new ByteArrayInputStream(wire.toByteArray());

    ProxyHeader parsed = ProxyHeaderReader.read(in);

    if (header.relayed() == null) {
      assertThat(parsed).isEqualTo(new ProxyHeader.Unrelayed());
    } else {
      assertThat(parsed).isEqualTo(header.relayed());
    }
    assertThat(in.readAllBytes()).as("octets after the header").isEqualTo(after);
  }

  private static Expected v1(FuzzedDataProvider data) throws UnknownHostException {
    boolean ipv6 = data.consumeBoolean();
    int size = ipv6 ? 16 : 4;
    InetAddress source = InetAddress.getByAddress(padded(data.consumeBytes(size), size));
    InetAddress destination = InetAddress.getByAddress(padded(data.consumeBytes(size), size));
    if (source.getAddress().length != size || destination.getAddress().length != size) {
      // An IPv4-mapped IPv6 address reads back as IPv4, which a TCP6 line cannot carry.
      return new Expected(ascii("PROXY UNKNOWN\r\n"), null);
    }
    int sourcePort = data.consumeInt(0, 65535);
    int destinationPort = data.consumeInt(0, 65535);
    String line =
        "PROXY %s %s %s %d %d\r\n"
            .formatted(
                ipv6 ? "TCP6" : "TCP4",
                source.getHostAddress(),
                destination.getHostAddress(),
                sourcePort,
                destinationPort);
    return new Expected(
        ascii(line),
        new ProxyHeader.Relayed(
            new InetSocketAddress(source, sourcePort),
            new InetSocketAddress(destination, destinationPort)));
  }

  /** Section 2.1: after UNKNOWN the receiver ignores the rest of the line; it stays in 107. */
  private static String unknownTail(FuzzedDataProvider data) {
    String tail = data.consumeAsciiString(90).replaceAll("[\\r\\n]", "");
    return tail.isEmpty() ? "" : " " + tail;
  }

  private static Expected v2(FuzzedDataProvider data) throws UnknownHostException {
    boolean ipv6 = data.consumeBoolean();
    int size = ipv6 ? 16 : 4;
    byte[] source = padded(data.consumeBytes(size), size);
    byte[] destination = padded(data.consumeBytes(size), size);
    int sourcePort = data.consumeInt(0, 65535);
    int destinationPort = data.consumeInt(0, 65535);
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    block.writeBytes(source);
    block.writeBytes(destination);
    writeShort(block, sourcePort);
    writeShort(block, destinationPort);
    tlvs(data, block);
    return new Expected(
        v2Header(0x21, ipv6 ? 0x21 : 0x11, block.toByteArray()),
        new ProxyHeader.Relayed(
            new InetSocketAddress(InetAddress.getByAddress(source), sourcePort),
            new InetSocketAddress(InetAddress.getByAddress(destination), destinationPort)));
  }

  /** Section 2.2: LOCAL (the balancer's own health check) with any family and any block. */
  private static Expected v2Local(FuzzedDataProvider data) {
    int familyProtocol = data.consumeInt(0, 255);
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    block.writeBytes(data.consumeBytes(data.consumeInt(0, 300)));
    return new Expected(v2Header(0x20, familyProtocol, block.toByteArray()), null);
  }

  /** Section 2.2.7: type, two-octet length, value; none of them means anything to the reader. */
  private static void tlvs(FuzzedDataProvider data, ByteArrayOutputStream block) {
    int count = data.consumeInt(0, 4);
    for (int i = 0; i < count; i++) {
      block.write(data.consumeInt(0, 255));
      byte[] value = data.consumeBytes(data.consumeInt(0, 200));
      writeShort(block, value.length);
      block.writeBytes(value);
    }
  }

  private static byte[] v2Header(int versionCommand, int familyProtocol, byte[] block) {
    ByteArrayOutputStream header = new ByteArrayOutputStream();
    header.writeBytes(V2_SIGNATURE);
    header.write(versionCommand);
    header.write(familyProtocol);
    writeShort(header, block.length);
    header.writeBytes(block);
    return header.toByteArray();
  }

  private static byte[] padded(byte[] bytes, int size) {
    byte[] out = new byte[size];
    System.arraycopy(bytes, 0, out, 0, bytes.length);
    return out;
  }

  private static void writeShort(ByteArrayOutputStream out, int value) {
    out.write(value >> 8 & 0xFF);
    out.write(value & 0xFF);
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /** The octets of a header and what reading them must give; {@code null} for Unrelayed. */
  private record Expected(byte[] octets, ProxyHeader.Relayed relayed) {}
}
