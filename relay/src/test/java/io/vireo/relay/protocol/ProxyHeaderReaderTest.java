package io.vireo.relay.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** PROXY protocol v1 and v2 headers as HAProxy's proxy-protocol.txt defines them. */
class ProxyHeaderReaderTest {
  private static final String SIGNATURE = "0d0a0d0a000d0a515549540a";
  private static final byte[] SMTP_AFTER = "EHLO client\r\n".getBytes(StandardCharsets.US_ASCII);

  private static ProxyHeader read(byte[] header, ByteArrayInputStream[] rest) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.writeBytes(header);
    all.writeBytes(SMTP_AFTER);
    ByteArrayInputStream in = new ByteArrayInputStream(all.toByteArray());
    rest[0] = in;
    return ProxyHeaderReader.read(in);
  }

  /** Reads the header and checks that the SMTP bytes after it are all still there. */
  private static ProxyHeader readLeavingTheRest(byte[] header) throws IOException {
    ByteArrayInputStream[] rest = new ByteArrayInputStream[1];
    ProxyHeader parsed = read(header, rest);
    assertThat(rest[0].readAllBytes()).isEqualTo(SMTP_AFTER);
    return parsed;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] hex(String text) {
    return HexFormat.of().parseHex(text.replace(" ", ""));
  }

  private static InetSocketAddress at(String ip, int port) throws IOException {
    return new InetSocketAddress(InetAddress.ofLiteral(ip), port);
  }

  private static void assertRefused(byte[] header, String message) {
    assertThatThrownBy(() -> ProxyHeaderReader.read(new ByteArrayInputStream(header)))
        .isInstanceOf(ProxyHeaderException.class)
        .hasMessageContaining(message);
  }

  // ---- v1 ----

  @Test
  void v1Tcp4() throws IOException {
    assertThat(readLeavingTheRest(ascii("PROXY TCP4 127.0.0.77 10.0.0.1 40000 25\r\n")))
        .isEqualTo(new ProxyHeader.Relayed(at("127.0.0.77", 40000), at("10.0.0.1", 25)));
  }

  @Test
  void v1Tcp6() throws IOException {
    assertThat(readLeavingTheRest(ascii("PROXY TCP6 2001:db8::7 ::1 65535 2525\r\n")))
        .isEqualTo(new ProxyHeader.Relayed(at("2001:db8::7", 65535), at("::1", 2525)));
  }

  @Test
  void v1UnknownIgnoresTheRestOfTheLine() throws IOException {
    assertThat(readLeavingTheRest(ascii("PROXY UNKNOWN\r\n")))
        .isEqualTo(new ProxyHeader.Unrelayed());
    assertThat(readLeavingTheRest(ascii("PROXY UNKNOWN ffff::1 ffff::2 1 2\r\n")))
        .isEqualTo(new ProxyHeader.Unrelayed());
  }

  @Test
  void v1AtItsLongestIsTaken() throws IOException {
    String tcp6 =
        "PROXY TCP6 ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"
            + " ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n";
    assertThat(readLeavingTheRest(ascii(tcp6))).isInstanceOf(ProxyHeader.Relayed.class);
  }

  @Test
  void v1UnknownAtTheSpecsWorstCaseIsTaken() throws IOException {
    String longest =
        "PROXY UNKNOWN ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"
            + " ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff 65535 65535\r\n";
    assertThat(longest).hasSize(ProxyHeaderReader.V1_MAX_LENGTH);
    assertThat(readLeavingTheRest(ascii(longest))).isEqualTo(new ProxyHeader.Unrelayed());
  }

  @Test
  void v1OverItsLimitIsRefusedWithoutReadingOn() {
    String tooLong = "PROXY UNKNOWN " + "x".repeat(200) + "\r\n";
    assertRefused(ascii(tooLong), "longer than 107 bytes");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "PROXY TCP4 127.0.0.1 127.0.0.2 1 2\n", // bare LF
        "PROXY TCP4 127.0.0.1 127.0.0.2 1\r\n", // a port missing
        "PROXY TCP4 127.0.0.1  127.0.0.2 1 2\r\n", // two spaces
        "PROXY TCP4 127.1 127.0.0.2 1 2\r\n", // shorthand IPv4
        "PROXY TCP4 127.0.0.256 127.0.0.2 1 2\r\n",
        "PROXY TCP4 ::1 ::1 1 2\r\n", // IPv6 under TCP4
        "PROXY TCP6 127.0.0.1 ::1 1 2\r\n", // IPv4 under TCP6
        "PROXY TCP6 fe80::1%eth0 ::1 1 2\r\n", // a zone
        "PROXY TCP6 localhost ::1 1 2\r\n", // a name: never resolved
        "PROXY TCP4 127.0.0.1 127.0.0.2 65536 2\r\n",
        "PROXY TCP4 127.0.0.1 127.0.0.2 -1 2\r\n",
        "PROXY UDP4 127.0.0.1 127.0.0.2 1 2\r\n",
        "PROXY tcp4 127.0.0.1 127.0.0.2 1 2\r\n",
        "PROXY TCP4 127.0.0.1 127.0.0.2 1 2", // the connection ends first
      })
  void malformedV1IsRefused(String header) {
    assertThatThrownBy(() -> ProxyHeaderReader.read(new ByteArrayInputStream(ascii(header))))
        .isInstanceOf(ProxyHeaderException.class);
  }

  @Test
  void smtpWithoutAHeaderIsRefused() {
    assertRefused(ascii("EHLO client.example\r\n"), "not a PROXY protocol header");
    assertRefused(new byte[0], "connection closed before");
  }

  // ---- v2 ----

  @Test
  void v2ProxyIpv4() throws IOException {
    // version 2 PROXY, AF_INET STREAM, 12 bytes: 127.0.0.77:40000 -> 10.0.0.1:25
    byte[] header = hex(SIGNATURE + "21 11 000c 7f00004d 0a000001 9c40 0019");
    assertThat(readLeavingTheRest(header))
        .isEqualTo(new ProxyHeader.Relayed(at("127.0.0.77", 40000), at("10.0.0.1", 25)));
  }

  @Test
  void v2ProxyIpv6() throws IOException {
    byte[] header =
        hex(
            SIGNATURE
                + "21 21 0024"
                + "20010db8000000000000000000000007"
                + "00000000000000000000000000000001"
                + "0401 09c5");
    assertThat(readLeavingTheRest(header))
        .isEqualTo(new ProxyHeader.Relayed(at("2001:db8::7", 1025), at("::1", 2501)));
  }

  @Test
  void v2TlvsAreSkipped() throws IOException {
    // ALPN "smtp" (type 1), then a NOOP (type 4) of 3 bytes, then an empty unique id (type 5).
    byte[] header =
        hex(
            SIGNATURE
                + "21 11 001c 7f00004d 0a000001 9c40 0019"
                + "01 0004 736d7470 04 0003 000000 05 0000");
    assertThat(readLeavingTheRest(header))
        .isEqualTo(new ProxyHeader.Relayed(at("127.0.0.77", 40000), at("10.0.0.1", 25)));
  }

  @Test
  void v2LocalUsesTheConnectionsOwnAddresses() throws IOException {
    // HAProxy's health checks with check-send-proxy: LOCAL, AF_UNSPEC, no address block.
    assertThat(readLeavingTheRest(hex(SIGNATURE + "20 00 0000")))
        .isEqualTo(new ProxyHeader.Unrelayed());
    // LOCAL with an address block: the block is read past and ignored.
    assertThat(readLeavingTheRest(hex(SIGNATURE + "20 11 000c 7f00004d 0a000001 9c40 0019")))
        .isEqualTo(new ProxyHeader.Unrelayed());
  }

  @Test
  void v2UnspecAndUnixFamiliesCarryNoClientAddress() throws IOException {
    assertThat(readLeavingTheRest(hex(SIGNATURE + "21 00 0000")))
        .isEqualTo(new ProxyHeader.Unrelayed());
    assertThat(readLeavingTheRest(hex(SIGNATURE + "21 31 00d8" + "00".repeat(216))))
        .isEqualTo(new ProxyHeader.Unrelayed());
  }

  @Test
  void v2Refusals() {
    assertRefused(hex(SIGNATURE + "11 11 000c" + "00".repeat(12)), "unsupported v2 version 1");
    assertRefused(hex(SIGNATURE + "22 11 000c" + "00".repeat(12)), "unknown v2 command 2");
    assertRefused(hex(SIGNATURE + "21 12 000c" + "00".repeat(12)), "datagram");
    assertRefused(hex(SIGNATURE + "21 41 000c" + "00".repeat(12)), "address family");
    assertRefused(hex(SIGNATURE + "21 11 0008" + "00".repeat(8)), "shorter than its family");
    assertRefused(hex(SIGNATURE + "21 21 000c" + "00".repeat(12)), "shorter than its family");
    assertRefused(hex(SIGNATURE + "21 11 000e" + "00".repeat(14)), "truncated v2 TLV");
    assertRefused(
        hex(SIGNATURE + "21 11 0010" + "00".repeat(12) + "01 0005 00"), "TLV longer");
    assertRefused(hex(SIGNATURE + "21 11 1001"), "too long");
    assertRefused(hex(SIGNATURE + "21 11 000c 7f00"), "closed inside");
    assertRefused(hex("0d0a0d0a000d0a5155495420 21 11 000c" + "00".repeat(12)), "not a PROXY");
  }
}
