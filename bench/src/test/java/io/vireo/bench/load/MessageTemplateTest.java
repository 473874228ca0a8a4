package io.vireo.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageTemplateTest {
  private static final String DATE = "Thu, 1 Jan 2026 00:00:00 GMT";

  private static MessageTemplate template(long size, long maxSequence) {
    return MessageTemplate.create(
        size, "bench@vireo-bench.test", "u1@example.test", "run1", maxSequence, DATE);
  }

  @ParameterizedTest
  @ValueSource(longs = {400, 401, 402, 479, 480, 1000, 4096, 65_536, 1 << 20})
  void everyMessageHasExactlyTheRequestedSizeWhateverItsSequenceNumber(long size) {
    MessageTemplate template = template(size, 2_000_000_000L);
    for (long sequence : new long[] {1, 9, 10, 12_345, 2_000_000_000L}) {
      byte[] content = template.content(sequence);
      assertThat(content).as("sequence %d", sequence).hasSize((int) size);
      String text = new String(content, StandardCharsets.US_ASCII);
      assertThat(text).endsWith("\r\n").contains("\r\nX-Vireo-Bench-Seq: " + sequence + "\r\n");
      int longestLine = Arrays.stream(text.split("\r\n", -1)).mapToInt(String::length).max().orElse(0);
      assertThat(longestLine).isLessThan(998); // RFC 5321 section 4.5.3.1.6
    }
  }

  @Test
  void writtenFormIsTheContentDotStuffedAndTerminated() throws Exception {
    MessageTemplate template = template(4096, 1000);
    ByteArrayOutputStream wire = new ByteArrayOutputStream();

    template.write(42, template.newScratch(), wire);

    String expected =
        new String(DotStuffing.stuff(template.content(42)), StandardCharsets.US_ASCII) + ".\r\n";
    String written = wire.toString(StandardCharsets.US_ASCII);
    assertThat(written).isEqualTo(expected);
    assertThat(written).contains("\r\n." + MessageTemplate.DOT_LINE + "\r\n..\r\n");
    assertThat(written).startsWith("Message-ID: <42.run1@vireo-bench.test>\r\n");
  }

  @Test
  void aSizeTooSmallForTheHeadersIsRefusedWithTheMinimum() {
    assertThatThrownBy(() -> template(100, 1000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("minimum");
  }

  @Test
  void dotStuffingDoublesOnlyLineLeadingDots() {
    byte[] stuffed = DotStuffing.stuff(".a\r\nb.c\r\n.\r\n.\n.x".getBytes(StandardCharsets.US_ASCII));
    // A dot after a bare LF is not at a line start (RFC 5321 section 2.3.8).
    assertThat(new String(stuffed, StandardCharsets.US_ASCII)).isEqualTo("..a\r\nb.c\r\n..\r\n..\n.x");
  }
}
