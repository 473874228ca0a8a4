package io.vireo.relay.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes the event line reader ({@link EventJson#parse}), which reads the event log back for the
 * webhooks and at start: any bytes give an event or an {@link IllegalArgumentException}, nothing
 * else; an event read is written back as one line without a newline inside, which reads to the
 * same event (so a line the dispatcher passes on is one the receiver can read). Seeds: {@code
 * EventJsonFuzzTestInputs/line}.
 */
class EventJsonFuzzTest {
  @FuzzTest(maxDuration = "2m")
  void line(byte[] input) {
    Event event;
    try {
      event = EventJson.parse(input, 0, input.length);
    } catch (IllegalArgumentException e) {
      return;
    }
    byte[] written = EventJson.line(event);
    String text = new String(written, StandardCharsets.UTF_8);
    assertThat(text.indexOf('\n')).isEqualTo(text.length() - 1);
    assertThat(EventJson.parse(written, 0, written.length - 1)).isEqualTo(event);
  }
}
