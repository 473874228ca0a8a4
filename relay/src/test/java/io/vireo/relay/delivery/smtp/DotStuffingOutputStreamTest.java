package io.vireo.relay.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DotStuffingOutputStreamTest {

  private static String encode(String content) throws IOException {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    DotStuffingOutputStream data = new DotStuffingOutputStream(wire);
    data.write(content.getBytes(StandardCharsets.ISO_8859_1));
    data.finish();
    return wire.toString(StandardCharsets.ISO_8859_1);
  }

  @Test
  void doublesDotsAtLineStartOnly() throws IOException {
    assertThat(encode(".a\r\nb.c\r\n..\r\n.\r\n")).isEqualTo("..a\r\nb.c\r\n...\r\n..\r\n.\r\n");
  }

  @Test
  void terminatesAnUnfinishedLastLine() throws IOException {
    assertThat(encode("abc")).isEqualTo("abc\r\n.\r\n");
    assertThat(encode("")).isEqualTo(".\r\n");
    assertThat(encode(".")).isEqualTo("..\r\n.\r\n");
  }

  @Test
  void turnsBareLineFeedsAndCarriageReturnsIntoCrlf() throws IOException {
    assertThat(encode("a\nb\rc\r\r\nd\n.\r")).isEqualTo("a\r\nb\r\nc\r\n\r\nd\r\n..\r\n.\r\n");
  }

  @Test
  void bareLineFeedBeforeDotCannotForgeTheTerminator() throws IOException {
    // The SMTP smuggling pattern <LF>.<LF> must become an ordinary stuffed line.
    String wire = encode("x\n.\nMAIL FROM:<evil@example.test>\r\n");

    assertThat(wire).isEqualTo("x\r\n..\r\nMAIL FROM:<evil@example.test>\r\n.\r\n");
  }

  @Test
  void stateCarriesAcrossWritesAndSlices() throws IOException {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    DotStuffingOutputStream data = new DotStuffingOutputStream(wire);
    byte[] big = ("x".repeat(5000) + "\r").getBytes(StandardCharsets.US_ASCII);
    data.write(big);
    data.write(ByteBuffer.wrap("\n.y\r\n".getBytes(StandardCharsets.US_ASCII)).asReadOnlyBuffer());
    data.write('.');
    data.finish();

    assertThat(wire.toString(StandardCharsets.US_ASCII))
        .isEqualTo("x".repeat(5000) + "\r\n..y\r\n..\r\n.\r\n");
  }

  @Test
  void eightBitBytesPassUnchanged() throws IOException {
    byte[] content = {(byte) 0xC3, (byte) 0xA9, '\r', '\n'};
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    DotStuffingOutputStream data = new DotStuffingOutputStream(wire);
    data.write(content);
    data.finish();

    assertThat(wire.toByteArray())
        .containsExactly((byte) 0xC3, (byte) 0xA9, '\r', '\n', '.', '\r', '\n');
  }

  @Test
  void nothingMayFollowTheTerminator() throws IOException {
    DotStuffingOutputStream data = new DotStuffingOutputStream(new ByteArrayOutputStream());
    data.finish();

    assertThatThrownBy(() -> data.write('x')).isInstanceOf(IllegalStateException.class);
  }
}
