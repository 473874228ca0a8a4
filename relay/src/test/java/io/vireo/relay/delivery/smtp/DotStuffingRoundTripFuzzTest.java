package io.vireo.relay.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vireo.relay.protocol.ContentOutcome;
import io.vireo.relay.protocol.DataReader;
import io.vireo.relay.protocol.Replies;
import io.vireo.relay.protocol.SmtpInput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Fuzzes the two ends of DATA against each other: whatever octets the SMTP client sends through
 * {@link DotStuffingOutputStream} (in any split of writes), the server's {@link DataReader} finds
 * the end of data exactly where the client put it, never earlier, and reads back the content with
 * every bare CR or LF made a CRLF and the last line completed; only a line over 998 octets is
 * refused, and then the reader still stops at the client's end. Seeds and past findings: {@code
 * DotStuffingRoundTripFuzzTestInputs/content}.
 */
class DotStuffingRoundTripFuzzTest {

  @FuzzTest(maxDuration = "2m")
  void content(FuzzedDataProvider data) throws IOException {
    int writes = data.consumeInt(1, 5);
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    DotStuffingOutputStream stuffing = new DotStuffingOutputStream(wire);
    for (int i = 0; i < writes; i++) {
      // NUL octets are refused by the reader's content policy (ContentPolicyDialogueTest): this
      // test is about dot-stuffing, so its content has none.
      byte[] piece =
          withoutNul(
              i == writes - 1
                  ? data.consumeRemainingAsBytes()
                  : data.consumeBytes(data.consumeInt(0, 2000)));
      content.writeBytes(piece);
      stuffing.write(piece, 0, piece.length);
    }
    stuffing.finish();
    byte[] sent = wire.toByteArray();
    byte[] expected = normalized(content.toByteArray());

    ByteArrayInputStream in = new ByteArrayInputStream(sent);
    SmtpInput input = new SmtpInput(in, 4096, () -> {});
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    ContentOutcome outcome =
        new DataReader((b, off, len) -> received.write(b, off, len), Long.MAX_VALUE).read(input);

    assertThat(input.hasBufferedInput()).as("octets buffered after the end of data").isFalse();
    assertThat(in.available()).as("octets unread after the end of data").isZero();
    if (longestLine(expected) > 998) {
      assertThat(outcome).isEqualTo(new ContentOutcome.Rejected(Replies.CONTENT_LINE_TOO_LONG));
    } else {
      assertThat(outcome).isEqualTo(new ContentOutcome.Received(expected.length));
      assertThat(received.toByteArray()).isEqualTo(expected);
    }
  }

  private static byte[] withoutNul(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length);
    for (byte b : bytes) {
      if (b != 0) {
        out.write(b);
      }
    }
    return out.toByteArray();
  }

  /** Every CRLF, bare CR and bare LF becomes one CRLF; a last line without one gets one. */
  private static byte[] normalized(byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 2);
    for (int i = 0; i < content.length; i++) {
      byte b = content[i];
      if (b == '\r' || b == '\n') {
        out.write('\r');
        out.write('\n');
        if (b == '\r' && i + 1 < content.length && content[i + 1] == '\n') {
          i++;
        }
      } else {
        out.write(b);
      }
    }
    byte[] bytes = out.toByteArray();
    if (bytes.length > 0 && bytes[bytes.length - 1] != '\n') {
      out.write('\r');
      out.write('\n');
    }
    return out.toByteArray();
  }

  private static int longestLine(byte[] crlfText) {
    int longest = 0;
    int length = 0;
    for (byte b : crlfText) {
      if (b == '\r') {
        longest = Math.max(longest, length);
        length = 0;
      } else if (b != '\n') {
        length++;
      }
    }
    return Math.max(longest, length);
  }
}
