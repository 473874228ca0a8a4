package io.vireo.relay.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.queue.MessageContent;
import io.vireo.relay.protocol.Xtext;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class XTextTest {

  @Test
  void encodesPlusEqualsSpaceAndNonAscii() {
    assertThat(Xtext.encode("abc-123@example.test")).isEqualTo("abc-123@example.test");
    assertThat(Xtext.encode("a+b=c d")).isEqualTo("a+2Bb+3Dc+20d");
    assertThat(Xtext.encode("é")).isEqualTo("+C3+A9");
  }

  @Test
  void decodeUndoesEncodeAndAcceptsLowerCaseHex() {
    for (String value : new String[] {"plain@example.test", "a+b=c d", "üser@bücher.test", "😀"}) {
      assertThat(Xtext.decode(Xtext.encode(value))).isEqualTo(value);
    }
    assertThat(Xtext.decode("user+2btag@example.test")).isEqualTo("user+tag@example.test");
    assertThat(Xtext.decode("dangling+2")).isEqualTo("dangling+2");
  }

  @Test
  void orcptEncodesOnlyTheAddressPart() {
    assertThat(TransactionPlanner.orcpt("rfc822;user+tag@example.test"))
        .isEqualTo("rfc822;user+2Btag@example.test");
    assertThat(TransactionPlanner.orcpt("utf-8;üser@example.test"))
        .isEqualTo("utf-8;+C3+BCser@example.test");
    assertThat(TransactionPlanner.orcpt("plain@example.test"))
        .isEqualTo("rfc822;plain@example.test");
  }

  @Test
  void contentScanSeparatesSevenBitEightBitAndBinary() {
    assertThat(scan("a\r\nb\r\n")).isEqualTo(new ContentScan(false, true));
    assertThat(scan("caf\u00e9\r\n")).isEqualTo(new ContentScan(true, true));
    assertThat(scan("a\nb")).isEqualTo(new ContentScan(false, false));
    assertThat(scan("a\rb")).isEqualTo(new ContentScan(false, false));
    assertThat(scan("a\r")).isEqualTo(new ContentScan(false, false));
    assertThat(scan("a\u0000b")).isEqualTo(new ContentScan(false, false));
  }

  private static ContentScan scan(String text) {
    return ContentScan.of(MessageContent.of(text.getBytes(StandardCharsets.UTF_8)));
  }
}
