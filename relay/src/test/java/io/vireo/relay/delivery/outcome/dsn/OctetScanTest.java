package io.vireo.relay.delivery.outcome.dsn;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OctetScanTest {
  private static OctetScan.Kind kind(String text) {
    return OctetScan.classify(text.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void classifiesPerRfc2045() {
    assertThat(kind("ascii\r\nlines\r\n")).isEqualTo(OctetScan.Kind.SEVEN_BIT);
    assertThat(kind("gr\u00fc\u00dfe\r\n")).isEqualTo(OctetScan.Kind.EIGHT_BIT);
    assertThat(kind("bare\nlf")).isEqualTo(OctetScan.Kind.BINARY);
    assertThat(kind("bare\rcr")).isEqualTo(OctetScan.Kind.BINARY);
    assertThat(kind("trailing cr\r")).isEqualTo(OctetScan.Kind.BINARY);
    assertThat(kind("nul\0\r\n")).isEqualTo(OctetScan.Kind.BINARY);
    assertThat(kind("a".repeat(998) + "\r\n")).isEqualTo(OctetScan.Kind.SEVEN_BIT);
    assertThat(kind("a".repeat(999) + "\r\n")).isEqualTo(OctetScan.Kind.BINARY);
    assertThat(kind("a".repeat(999))).isEqualTo(OctetScan.Kind.BINARY);
  }
}
