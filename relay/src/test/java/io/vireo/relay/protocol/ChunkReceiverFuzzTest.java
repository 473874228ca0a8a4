package io.vireo.relay.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes {@link ChunkReceiver} with any BDAT chunks (RFC 3030), a random size limit, buffer size
 * and read split. Each chunk is consumed to its exact octet count and not one octet more, so the
 * next command is read from the right place, also after a refusal; the message is received exactly
 * when the concatenated chunks have no bare CR or LF and no line over 998 octets and fit the limit
 * (a last line without CRLF gets one); the sink then holds exactly that, and never more than the
 * limit. A final chunk announced longer than what the client sends ends in {@link
 * ContentOutcome.Disconnected}. Seeds and past findings: {@code ChunkReceiverFuzzTestInputs/chunks}.
 */
class ChunkReceiverFuzzTest {
  private static final byte[] NEXT_COMMAND = "QUIT\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  @FuzzTest(maxDuration = "2m")
  void chunks(FuzzedDataProvider data) throws IOException {
    long maxSize = data.consumeLong(0, 8192);
    int bufferSize = data.consumeInt(64, 1024);
    int readSize = data.consumeInt(1, 1500);
    boolean truncated = data.consumeBoolean();
    int count = data.consumeInt(1, 6);
    List<byte[]> chunks = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      chunks.add(data.consumeBytes(data.consumeInt(0, 1200)));
    }

    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (byte[] chunk : chunks) {
      wire.writeBytes(chunk);
      all.writeBytes(chunk);
    }
    if (!truncated) {
      wire.writeBytes(NEXT_COMMAND);
    }
    SplitInputStream stream = new SplitInputStream(wire.toByteArray(), readSize);
    SmtpInput input = new SmtpInput(stream, bufferSize, () -> {});
    ByteArrayOutputStream sink = new ByteArrayOutputStream();
    ChunkReceiver receiver =
        new ChunkReceiver((bytes, offset, length) -> sink.write(bytes, offset, length), maxSize);

    ContentOutcome last = null;
    for (int i = 0; i < chunks.size(); i++) {
      // A truncated transfer announces one octet more in its last chunk than the client sends.
      long announced = chunks.get(i).length + (truncated && i == chunks.size() - 1 ? 1 : 0);
      ContentOutcome outcome = receiver.receive(input, announced);
      assertThat((long) sink.size()).as("octets handed to the sink").isLessThanOrEqualTo(maxSize);
      if (outcome instanceof ContentOutcome.Disconnected) {
        assertThat(truncated && i == chunks.size() - 1).as("disconnected early").isTrue();
        return;
      }
      if (last instanceof ContentOutcome.Rejected refused) {
        assertThat(outcome).as("a refused message stays refused").isEqualTo(refused);
      }
      last = outcome;
    }
    assertThat(truncated).as("a truncated last chunk must end in Disconnected").isFalse();
    long left = stream.remaining() + (input.limit - input.position);
    assertThat(left).as("octets left for the next command").isEqualTo(NEXT_COMMAND.length);

    ContentOutcome finished = receiver.finish();
    Expected expected = Expected.of(all.toByteArray(), maxSize);
    switch (finished) {
      case ContentOutcome.Received received -> {
        assertThat(expected.problems()).as("problems of a received message").isEmpty();
        assertThat(sink.toByteArray()).isEqualTo(expected.content());
        assertThat(received.size()).isEqualTo(expected.content().length);
      }
      case ContentOutcome.Rejected rejected ->
          assertThat(expected.problems()).as("why it was refused").contains(rejected.reply());
      case ContentOutcome.Disconnected disconnected ->
          throw new AssertionError("finish() cannot disconnect");
    }
    assertThat((long) sink.size()).isLessThanOrEqualTo(maxSize);
  }

  /** The message RFC 3030 and the DATA rules make of the chunks, computed the obvious way. */
  private record Expected(byte[] content, List<SmtpReply> problems) {
    static Expected of(byte[] all, long maxSize) {
      List<SmtpReply> problems = new ArrayList<>();
      int lineLength = 0;
      boolean bare = false;
      boolean nul = false;
      boolean tooLong = false;
      for (int i = 0; i < all.length; i++) {
        byte b = all[i];
        if (b == '\r' && i + 1 < all.length && all[i + 1] == '\n') {
          lineLength = 0;
          i++;
        } else if (b == '\r' || b == '\n') {
          bare = true;
        } else {
          nul |= b == 0;
          tooLong |= ++lineLength > ContentModel.MAX_LINE_CONTENT;
        }
      }
      boolean complete = all.length == 0 || (all.length >= 2 && all[all.length - 2] == '\r' && all[all.length - 1] == '\n');
      ByteArrayOutputStream content = new ByteArrayOutputStream();
      content.writeBytes(all);
      if (!complete) {
        content.write('\r');
        content.write('\n');
      }
      if (bare) {
        problems.add(Replies.CONTENT_BARE_LINE_ENDING);
      }
      if (nul) {
        problems.add(Replies.CONTENT_NUL);
      }
      if (tooLong) {
        problems.add(Replies.CONTENT_LINE_TOO_LONG);
      }
      if (content.size() > maxSize) {
        problems.add(Replies.MESSAGE_TOO_BIG);
      }
      return new Expected(content.toByteArray(), problems);
    }
  }
}
