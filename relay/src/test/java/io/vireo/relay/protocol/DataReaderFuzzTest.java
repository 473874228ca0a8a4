package io.vireo.relay.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

/**
 * Fuzzes {@link DataReader} with any octets after DATA, a random size limit, buffer size and read
 * split, against a model written from RFC 5321 rather than from the reader: the content ends at the
 * first line that is a lone unstuffed dot ({@code CRLF.CRLF}, or {@code .CRLF} first), and nothing
 * else ends it; the message is received exactly when it has no bare CR or LF, no line over 998
 * octets and fits the limit, and then the sink holds the unstuffed lines and nothing more; the sink
 * never gets more than the limit; and the reader stops right after the end-of-data line, so the
 * session stays in step with the client. Seeds and past findings: {@code
 * DataReaderFuzzTestInputs/content}.
 */
class DataReaderFuzzTest {

  @FuzzTest(maxDuration = "2m")
  void content(FuzzedDataProvider data) throws IOException {
    long maxSize = data.consumeLong(0, 8192);
    int bufferSize = data.consumeInt(64, 1024);
    int readSize = data.consumeInt(1, 1500);
    byte[] input = data.consumeRemainingAsBytes();

    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    SplitInputStream stream = new SplitInputStream(input, readSize);
    SmtpInput smtpInput = new SmtpInput(stream, bufferSize, () -> {});
    ContentOutcome outcome =
        new DataReader((bytes, offset, length) -> sink.write(bytes, offset, length), maxSize)
            .read(smtpInput);

    ContentModel model = ContentModel.of(input, maxSize);
    byte[] delivered = sink.toByteArray();
    assertThat((long) delivered.length).as("octets handed to the sink").isLessThanOrEqualTo(maxSize);
    assertThat(ContentModel.startsWith(model.unstuffed(), delivered))
        .as("the sink only ever gets a prefix of the unstuffed content")
        .isTrue();

    if (model.end() < 0) {
      assertThat(outcome).isInstanceOf(ContentOutcome.Disconnected.class);
      return;
    }
    long left = stream.remaining() + (smtpInput.limit - smtpInput.position);
    assertThat(left).as("octets after the end-of-data line").isEqualTo(input.length - model.end() - 3);
    switch (outcome) {
      case ContentOutcome.Received received -> {
        assertThat(model.problems()).as("problems of a received message").isEmpty();
        assertThat(received.size()).isEqualTo(model.unstuffed().length);
        assertThat(delivered).isEqualTo(model.unstuffed());
      }
      case ContentOutcome.Rejected rejected ->
          assertThat(model.problems()).as("why it was rejected").contains(rejected.reply());
      case ContentOutcome.Disconnected disconnected ->
          throw new AssertionError("disconnected although the input has an end-of-data line");
    }
  }
}
