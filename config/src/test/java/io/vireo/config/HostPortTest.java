package io.vireo.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HostPortTest {

  @ParameterizedTest
  @CsvSource({
    "127.0.0.1:2525, 127.0.0.1, 2525",
    "[::1]:2525, ::1, 2525",
    "[::]:0, ::, 0",
    "mx.example.com:25, mx.example.com, 25",
    "localhost:65535, localhost, 65535"
  })
  void parsesHostAndPort(String text, String host, int port) {
    HostPort parsed = HostPort.parse(text);
    assertThat(parsed).isEqualTo(new HostPort(host, port));
    assertThat(parsed.toString()).isEqualTo(text);
  }

  @ParameterizedTest
  @CsvSource({"127.0.0.1, 127.0.0.1", "::1, ::1", "[::1], ::1", "ns.example.com, ns.example.com"})
  void usesTheDefaultPortWhenNoneIsWritten(String text, String host) {
    assertThat(HostPort.parse(text, 53)).isEqualTo(new HostPort(host, 53));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1",
        "::1",
        "127.0.0.1:",
        "127.0.0.1:65536",
        "127.0.0.1:-1",
        "127.0.0.1:port",
        "[::1",
        "[::1]x",
        "[127.0.0.1]:25",
        "bad_host:25",
        ":25",
        "1::2::3",
        ""
      })
  void rejectsMalformedAddresses(String text) {
    assertThatThrownBy(() -> HostPort.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @CsvSource({"127.0.0.1, true", "::1, true", "localhost, false", "10.0.0.256, false"})
  void knowsIpLiteralsFromNames(String host, boolean literal) {
    assertThat(new HostPort(host, 25).isIpLiteral()).isEqualTo(literal);
  }
}
