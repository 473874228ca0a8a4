package io.vireo.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

  @ParameterizedTest(name = "{0} contains {1}: {2}")
  @CsvSource({
    "0.0.0.0/0, 255.255.255.255, true",
    "0.0.0.0/0, 0.0.0.0, true",
    "0.0.0.0/0, ::1, false",
    "::/0, ::1, true",
    "::/0, ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff, true",
    "::/0, 127.0.0.1, false",
    "10.1.2.3/32, 10.1.2.3, true",
    "10.1.2.3/32, 10.1.2.4, false",
    "::1/128, ::1, true",
    "::1/128, ::2, false",
    "::1/128, ::, false",
    "fc00::/7, fc00::, true",
    "fc00::/7, fdff:ffff::1, true",
    "fc00::/7, fe00::, false",
    "fc00::/7, fb00::, false",
    "10.0.0.0/7, 11.255.255.255, true",
    "10.0.0.0/7, 12.0.0.0, false",
    "10.0.0.0/7, 9.255.255.255, false",
    "127.0.0.0/8, 127.255.0.1, true",
    "127.0.0.0/8, 128.0.0.1, false",
    "192.168.1.0/25, 192.168.1.127, true",
    "192.168.1.0/25, 192.168.1.128, false"
  })
  void containsRespectsThePrefixBitByBit(String network, String address, boolean expected) {
    assertThat(Cidr.parse(network).contains(InetAddress.ofLiteral(address))).isEqualTo(expected);
  }

  @Test
  void bareAddressIsASingleHost() {
    assertThat(Cidr.parse("192.0.2.7").prefixLength()).isEqualTo(32);
    assertThat(Cidr.parse("2001:db8::7").prefixLength()).isEqualTo(128);
  }

  @ParameterizedTest
  @CsvSource({
    "10.1.2.3/8, 10.0.0.0/8",
    "10.0.0.0/8, 10.0.0.0/8",
    "255.255.255.255/0, 0.0.0.0/0",
    "192.168.1.255/25, 192.168.1.128/25",
    "fdff:1::1/7, fc00::/7",
    "2001:db8::1/128, 2001:db8::1/128"
  })
  void canonicalClearsHostBits(String text, String canonical) {
    assertThat(Cidr.parse(text).canonical()).isEqualTo(Cidr.parse(canonical));
    assertThat(Cidr.parse(text).canonical().toString()).isEqualTo(canonical);
  }

  @ParameterizedTest
  @CsvSource({
    "::1/128, ::1/128",
    "2001:0db8:0:0:1:0:0:1/128, 2001:db8::1:0:0:1/128",
    "fe80::/10, fe80::/10"
  })
  void toStringUsesTheShortIpv6Form(String text, String shown) {
    assertThat(Cidr.parse(text).toString()).isEqualTo(shown);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "10.0.0.0/33",
        "::/129",
        "10.0.0.0/-1",
        "10.0.0.0/",
        "10.1/8",
        "010.0.0.0/8",
        "host/8",
        "fe80::1%1/64",
        ""
      })
  void rejectsMalformedNetworks(String text) {
    assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }
}
