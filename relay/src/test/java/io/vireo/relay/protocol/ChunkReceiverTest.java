package io.vireo.relay.protocol;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ChunkReceiverTest {
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();

  private static SmtpInput input(String wire) {
    return new SmtpInput(new ByteArrayInputStream(wire.getBytes(ISO_8859_1)), 64, () -> {});
  }

  private static String nextCommand(SmtpInput in) throws IOException {
    CommandLine line = in.readCommandLine();
    return line instanceof CommandLine.Line(byte[] bytes)
        ? new String(bytes, ISO_8859_1)
        : line.toString();
  }

  @Test
  void readsExactlyTheChunkSizeWithoutUnstuffing() throws IOException {
    String chunk = "Subject: x\r\n\r\n.\r\n..\r\n";
    SmtpInput in = input(chunk + "BDAT 0 LAST\r\n");
    ChunkReceiver receiver = new ChunkReceiver(received::write, 1000);
    assertThat(receiver.receive(in, chunk.length()))
        .isEqualTo(new ContentOutcome.Received(chunk.length()));
    assertThat(receiver.finish()).isEqualTo(new ContentOutcome.Received(chunk.length()));
    assertThat(received.toString(ISO_8859_1)).isEqualTo(chunk);
    assertThat(nextCommand(in)).isEqualTo("BDAT 0 LAST");
  }

  @Test
  void crlfMaySpanTwoChunks() throws IOException {
    SmtpInput in = input("line\r\nnext\r\n");
    ChunkReceiver receiver = new ChunkReceiver(received::write, 1000);
    assertThat(receiver.receive(in, 5)).isInstanceOf(ContentOutcome.Received.class);
    assertThat(receiver.receive(in, 7)).isInstanceOf(ContentOutcome.Received.class);
    assertThat(receiver.finish()).isEqualTo(new ContentOutcome.Received(12));
  }

  @Test
  void bareLfIsRefusedButTheChunkIsStillConsumed() throws IOException {
    String chunk = "a\n.\nMAIL FROM:<x@y>\r\n";
    SmtpInput in = input(chunk + "NOOP\r\n");
    ChunkReceiver receiver = new ChunkReceiver(received::write, 1000);
    assertThat(receiver.receive(in, chunk.length()))
        .isEqualTo(new ContentOutcome.Rejected(Replies.CONTENT_BARE_LINE_ENDING));
    assertThat(nextCommand(in)).isEqualTo("NOOP");
  }

  @Test
  void crAtTheVeryEndIsABareCr() throws IOException {
    SmtpInput in = input("abc\r");
    ChunkReceiver receiver = new ChunkReceiver(received::write, 1000);
    receiver.receive(in, 4);
    assertThat(receiver.finish())
        .isEqualTo(new ContentOutcome.Rejected(Replies.CONTENT_BARE_LINE_ENDING));
  }

  @Test
  void unterminatedLastLineIsCompletedWithCrlf() throws IOException {
    SmtpInput in = input("Subject: x\r\n\r\nno newline");
    ChunkReceiver receiver = new ChunkReceiver(received::write, 1000);
    receiver.receive(in, 24);
    assertThat(receiver.finish()).isEqualTo(new ContentOutcome.Received(26));
    assertThat(received.toString(ISO_8859_1)).isEqualTo("Subject: x\r\n\r\nno newline\r\n");
  }

  @Test
  void sizeIsCountedAcrossChunksAndLaterChunksRepeatTheFailure() throws IOException {
    SmtpInput in = input("12345\r\n" + "67890\r\n" + "more\r\nQUIT\r\n");
    ChunkReceiver receiver = new ChunkReceiver(received::write, 10);
    assertThat(receiver.receive(in, 7)).isInstanceOf(ContentOutcome.Received.class);
    assertThat(receiver.receive(in, 7))
        .isEqualTo(new ContentOutcome.Rejected(Replies.MESSAGE_TOO_BIG));
    assertThat(receiver.receive(in, 6))
        .isEqualTo(new ContentOutcome.Rejected(Replies.MESSAGE_TOO_BIG));
    assertThat(receiver.finish()).isEqualTo(new ContentOutcome.Rejected(Replies.MESSAGE_TOO_BIG));
    assertThat(nextCommand(in)).isEqualTo("QUIT");
  }

  @Test
  void longLineIsRefused() throws IOException {
    String chunk = "x".repeat(999) + "\r\n";
    ChunkReceiver receiver = new ChunkReceiver(received::write, 10_000);
    assertThat(receiver.receive(input(chunk), chunk.length()))
        .isEqualTo(new ContentOutcome.Rejected(Replies.CONTENT_LINE_TOO_LONG));
  }

  @Test
  void endOfInputInsideAChunk() throws IOException {
    ChunkReceiver receiver = new ChunkReceiver(received::write, 10_000);
    assertThat(receiver.receive(input("short"), 100))
        .isInstanceOf(ContentOutcome.Disconnected.class);
  }

  @Test
  void largeChunkSpanningManyBufferFills() throws IOException {
    StringBuilder body = new StringBuilder();
    for (int i = 0; i < 500; i++) {
      body.append("line ").append(i).append("\r\n");
    }
    String chunk = body.toString();
    ChunkReceiver receiver = new ChunkReceiver(received::write, 1 << 20);
    assertThat(receiver.receive(input(chunk), chunk.length()))
        .isEqualTo(new ContentOutcome.Received(chunk.length()));
    assertThat(received.toString(ISO_8859_1)).isEqualTo(chunk);
  }

  @Test
  void nulIsRefusedButTheChunkIsStillConsumed() throws IOException {
    String chunk = "a\0b\r\n";
    SmtpInput in = input(chunk + "NOOP\r\n");
    ChunkReceiver receiver = new ChunkReceiver(received::write, 1000);
    assertThat(receiver.receive(in, chunk.length()))
        .isEqualTo(new ContentOutcome.Rejected(Replies.CONTENT_NUL));
    assertThat(nextCommand(in)).isEqualTo("NOOP");
  }

  @Test
  void strippedNulIsNotCountedAgainstTheSize() throws IOException {
    String chunk = "\0ab\0\0c\r\n\0";
    SmtpInput in = input(chunk);
    ChunkReceiver receiver = new ChunkReceiver(received::write, 5, NulOctets.STRIP);
    assertThat(receiver.receive(in, chunk.length())).isEqualTo(new ContentOutcome.Received(5));
    assertThat(receiver.finish()).isEqualTo(new ContentOutcome.Received(5));
    assertThat(received.toString(ISO_8859_1)).isEqualTo("abc\r\n");
  }
}
