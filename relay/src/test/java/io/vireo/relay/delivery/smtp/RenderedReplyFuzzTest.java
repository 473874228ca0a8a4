package io.vireo.relay.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vireo.relay.protocol.EnhancedStatus;
import io.vireo.relay.protocol.SmtpReply;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes the two sides of one reply value: any reply the server side renders ({@link
 * SmtpReply#render()}) reads back through the client's {@link ReplyReader} with its code, enhanced
 * status and text. Seeds and past findings: {@code RenderedReplyFuzzTestInputs/renderedReply}. One
 * fuzz test per class, since Jazzer fuzzes one per JVM (bin/fuzz --ci).
 */
class RenderedReplyFuzzTest {

  @FuzzTest(maxDuration = "2m")
  void renderedReply(FuzzedDataProvider data) throws IOException {
    int code = data.consumeInt(200, 599);
    // Enhanced status codes exist for classes 2, 4 and 5 only (RFC 3463 section 3.1).
    EnhancedStatus status =
        data.consumeBoolean() && code / 100 != 3
            ? EnhancedStatus.of(code / 100, data.consumeInt(0, 999), data.consumeInt(0, 999))
            : null;
    List<String> lines = new ArrayList<>();
    int count = data.consumeInt(1, 8);
    for (int i = 0; i < count; i++) {
      lines.add(printable(data.consumeString(300)));
    }
    SmtpReply reply = new SmtpReply(code, status, lines);

    SmtpReply read = new ReplyReader(new ByteArrayInputStream(reply.toBytes())).read();
    assertThat(read.code()).isEqualTo(code);
    assertThat(read.lines()).hasSameSizeAs(lines);
    if (status != null) {
      assertThat(read.enhancedStatus()).isEqualTo(status.toString());
      for (int i = 0; i < lines.size(); i++) {
        assertThat(read.lines().get(i)).isEqualTo(lines.get(i).stripLeading());
      }
    } else if (read.enhancedStatus() == null) {
      assertThat(read.lines()).isEqualTo(lines);
    }
  }

  /** Reply text as a server sends it: printable ASCII and UTF-8, no CR or LF. */
  private static String printable(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints()
        .filter(c -> c >= ' ' && c != 127 && (c < 0xd800 || c > 0xdfff))
        .forEach(out::appendCodePoint);
    return out.toString();
  }
}
