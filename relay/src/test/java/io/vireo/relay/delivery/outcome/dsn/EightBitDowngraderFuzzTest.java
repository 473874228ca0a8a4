package io.vireo.relay.delivery.outcome.dsn;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vireo.queue.MessageContent;

/**
 * Fuzzes {@link EightBitDowngrader}. With any octets as a message it must answer unchanged (exactly
 * when there is no 8-bit octet), converted, or impossible, and never throw; converted content is
 * 7-bit, with CRLF lines of at most 998 octets. Seeds and past findings: {@code
 * EightBitDowngraderFuzzTestInputs/anyMessage}; generated MIME trees are {@link
 * MimeTreeDowngradeFuzzTest}'s.
 */
class EightBitDowngraderFuzzTest {
  private final EightBitDowngrader downgrader = new EightBitDowngrader();

  @FuzzTest(maxDuration = "2m")
  void anyMessage(byte[] message) {
    MessageContent content = MessageContent.of(message);
    DowngradeResult result = downgrader.downgrade(content);
    switch (result) {
      case DowngradeResult.Unchanged unchanged ->
          assertThat(EightBitDowngrader.is8Bit(content)).as("unchanged although 8-bit").isFalse();
      case DowngradeResult.Converted converted -> {
        assertThat(EightBitDowngrader.is8Bit(content)).isTrue();
        assertThat(OctetScan.classify(converted.content())).isEqualTo(OctetScan.Kind.SEVEN_BIT);
      }
      case DowngradeResult.Impossible impossible -> assertThat(impossible.reason()).isNotBlank();
    }
  }
}
