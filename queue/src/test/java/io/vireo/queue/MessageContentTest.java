package io.vireo.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class MessageContentTest {
  @Test
  void builderChunksGrowFromEightKilobytesToTheMaximum() {
    MessageContent.Builder builder = new MessageContent.Builder();
    byte[] data = random(5 * MessageContent.MAX_CHUNK + 3);
    // Odd write sizes, as a socket would deliver them.
    for (int offset = 0; offset < data.length; offset += 1_000) {
      builder.write(data, offset, Math.min(1_000, data.length - offset));
    }

    MessageContent content = builder.build();

    List<ByteBuffer> chunks = content.chunks();
    assertThat(chunks.getFirst().remaining()).isEqualTo(8 * 1024);
    assertThat(chunks.get(1).remaining()).isEqualTo(16 * 1024);
    assertThat(chunks)
        .allSatisfy(
            chunk -> assertThat(chunk.remaining()).isLessThanOrEqualTo(MessageContent.MAX_CHUNK));
    assertThat(chunks.get(chunks.size() - 2).remaining()).isEqualTo(MessageContent.MAX_CHUNK);
    assertThat(content.size()).isEqualTo(data.length);
    assertThat(content.toByteArray()).isEqualTo(data);
  }

  @Test
  void writeToAndChecksumSeeEveryOctetOfEveryChunkInOrder() throws IOException {
    byte[] data = random(3 * MessageContent.MAX_CHUNK + 11);
    MessageContent content = MessageContent.of(data);
    assertThat(content.chunkCount()).isGreaterThan(1);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    content.writeTo(out);
    CRC32C viaContent = new CRC32C();
    content.update(viaContent);
    CRC32C direct = new CRC32C();
    direct.update(data);

    assertThat(out.toByteArray()).isEqualTo(data);
    assertThat(viaContent.getValue()).isEqualTo(direct.getValue());
  }

  @Test
  void aBuilderBuildsOneMessageAfterAnother() {
    MessageContent.Builder builder = new MessageContent.Builder();
    assertThat(builder.build().size()).isZero();
    builder.write("first\r\n".getBytes());
    MessageContent first = builder.build();
    builder.write("second message\r\n".getBytes());
    MessageContent second = builder.build();

    assertThat(first.toByteArray()).isEqualTo("first\r\n".getBytes());
    assertThat(second.toByteArray()).isEqualTo("second message\r\n".getBytes());
  }

  @Test
  void smallContentIsOneTrimmedChunk() {
    MessageContent content = MessageContent.of("Subject: x\r\n\r\nhi\r\n".getBytes());
    assertThat(content.chunkCount()).isEqualTo(1);
    assertThat(content.chunks().getFirst().remaining()).isEqualTo(18);
  }

  @Test
  void buildResetsTheBuilderForTheNextTransaction() {
    MessageContent.Builder builder = new MessageContent.Builder();
    builder.write("first".getBytes());
    MessageContent first = builder.build();
    builder.write("second".getBytes());

    assertThat(builder.size()).isEqualTo(6);
    assertThat(builder.build().toByteArray()).isEqualTo("second".getBytes());
    assertThat(first.toByteArray()).isEqualTo("first".getBytes());
  }

  @Test
  void streamAndChunkViewsMatchTheBytes() throws IOException {
    byte[] data = random(100_000);
    MessageContent content = MessageContent.of(data);
    try (InputStream in = content.openStream()) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
    assertThat(content.chunks()).allSatisfy(chunk -> assertThat(chunk.isReadOnly()).isTrue());
  }

  @Test
  void emptyContentHasNoChunks() {
    MessageContent content = new MessageContent.Builder().build();
    assertThat(content.size()).isZero();
    assertThat(content.chunkCount()).isZero();
  }

  private static byte[] random(int size) {
    byte[] data = new byte[size];
    SplittableRandom random = new SplittableRandom(size);
    for (int i = 0; i < size; i++) {
      data[i] = (byte) random.nextInt(256);
    }
    return data;
  }
}
