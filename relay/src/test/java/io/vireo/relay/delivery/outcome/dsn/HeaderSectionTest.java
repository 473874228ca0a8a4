package io.vireo.relay.delivery.outcome.dsn;

import static org.assertj.core.api.Assertions.assertThat;

import io.vireo.queue.MessageContent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class HeaderSectionTest {

  private static HeaderSection of(String message, int max) {
    return HeaderSection.of(MessageContent.of(message.getBytes(StandardCharsets.US_ASCII)), max);
  }

  private static String text(HeaderSection section) {
    return new String(section.bytes(), StandardCharsets.US_ASCII);
  }

  @Test
  void stopsBeforeTheEmptyLine() {
    HeaderSection section = of("A: 1\r\nB: 2\r\n folded\r\n\r\nbody\r\n\r\nmore\r\n", 1024);
    assertThat(text(section)).isEqualTo("A: 1\r\nB: 2\r\n folded\r\n");
    assertThat(section.truncated()).isFalse();
  }

  @Test
  void messageWithoutBodyIsAllHeader() {
    assertThat(text(of("A: 1\r\nB: 2\r\n", 1024))).isEqualTo("A: 1\r\nB: 2\r\n");
  }

  @Test
  void messageStartingWithTheEmptyLineHasNoHeader() {
    assertThat(of("\r\nbody\r\n", 1024).bytes()).isEmpty();
  }

  @Test
  void overlongHeaderIsCutAtALineBoundary() {
    HeaderSection section = of("A: 1\r\nB: 22222222\r\nC: 3\r\n\r\nbody", 12);
    assertThat(text(section)).isEqualTo("A: 1\r\n");
    assertThat(section.truncated()).isTrue();
  }

  @Test
  void findsTheEmptyLineAcrossReadBlocks() {
    byte[] big = new byte[(1 << 20) + 10];
    Arrays.fill(big, (byte) 'x');
    String head = "X-Long: ";
    System.arraycopy(head.getBytes(StandardCharsets.US_ASCII), 0, big, 0, head.length());
    int end = (1 << 20) - 1; // the CRLFCRLF straddles an 8 KiB read boundary
    big[end] = '\r';
    big[end + 1] = '\n';
    big[end + 2] = '\r';
    big[end + 3] = '\n';
    MessageContent content = MessageContent.of(big);
    HeaderSection section = HeaderSection.of(content, 2 << 20);
    assertThat(section.bytes()).hasSize(end + 2);
    assertThat(section.truncated()).isFalse();
  }
}
