package io.vireo.relay.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The before and after of {@link DotStuffingBenchmark} must be the same encoding, or the comparison
 * measures two different jobs: {@link DotStuffingOutputStream} and its pre-f089cde form {@link
 * OctetByOctetDotStuffing} must put the same octets on the wire for the benchmark's messages and for
 * the cases where the bulk path hands over to the octet path (dots, bare CR/LF, writes that split a
 * CRLF or a slice).
 */
class DotStuffingBenchmarkTest {

  /** How one piece of content reaches the encoder. */
  private enum WriteStyle {
    ARRAY,
    READ_ONLY_BUFFER,
    HEAP_BUFFER,
    OCTETS
  }

  /** The calls both encoders offer; they share no type beyond {@link OutputStream}. */
  private interface Encoder {
    void write(byte[] bytes, int offset, int length) throws IOException;

    void write(ByteBuffer source) throws IOException;

    void write(int b) throws IOException;

    void finish() throws IOException;
  }

  private static Encoder bulk(OutputStream out) {
    DotStuffingOutputStream data = new DotStuffingOutputStream(out);
    return new Encoder() {
      @Override
      public void write(byte[] bytes, int offset, int length) throws IOException {
        data.write(bytes, offset, length);
      }

      @Override
      public void write(ByteBuffer source) throws IOException {
        data.write(source);
      }

      @Override
      public void write(int b) throws IOException {
        data.write(b);
      }

      @Override
      public void finish() throws IOException {
        data.finish();
      }
    };
  }

  private static Encoder octetByOctet(OutputStream out) {
    OctetByOctetDotStuffing data = new OctetByOctetDotStuffing(out);
    return new Encoder() {
      @Override
      public void write(byte[] bytes, int offset, int length) throws IOException {
        data.write(bytes, offset, length);
      }

      @Override
      public void write(ByteBuffer source) throws IOException {
        data.write(source);
      }

      @Override
      public void write(int b) throws IOException {
        data.write(b);
      }

      @Override
      public void finish() throws IOException {
        data.finish();
      }
    };
  }

  /** Writes {@code content} cut at {@code cuts} (ascending), piece i in {@code styles[i]}. */
  private static byte[] encode(
      Function<OutputStream, Encoder> encoderOf, byte[] content, int[] cuts, WriteStyle[] styles)
      throws IOException {
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    Encoder encoder = encoderOf.apply(wire);
    int start = 0;
    for (int piece = 0; piece <= cuts.length; piece++) {
      int end = piece < cuts.length ? cuts[piece] : content.length;
      switch (styles[piece]) {
        case ARRAY -> encoder.write(content, start, end - start);
        case READ_ONLY_BUFFER ->
            encoder.write(ByteBuffer.wrap(content, start, end - start).asReadOnlyBuffer());
        case HEAP_BUFFER -> encoder.write(ByteBuffer.wrap(content, start, end - start).slice());
        case OCTETS -> {
          for (int i = start; i < end; i++) {
            encoder.write(content[i]);
          }
        }
      }
      start = end;
    }
    encoder.finish();
    return wire.toByteArray();
  }

  /** Both encoders' output for one way of writing; fails if they differ. */
  private static String encodeBoth(byte[] content, int[] cuts, WriteStyle[] styles)
      throws IOException {
    byte[] after = encode(DotStuffingBenchmarkTest::bulk, content, cuts, styles);
    byte[] before = encode(DotStuffingBenchmarkTest::octetByOctet, content, cuts, styles);
    assertThat(after)
        .as("bulk vs octet-by-octet for %s", printable(content))
        .isEqualTo(before);
    return new String(after, StandardCharsets.ISO_8859_1);
  }

  /**
   * Encodes {@code content} with both encoders in every write style, whole and cut once at every
   * position, and returns the (common) result.
   */
  private static String encodeEveryWay(String content) throws IOException {
    byte[] bytes = content.getBytes(StandardCharsets.ISO_8859_1);
    String whole = encodeBoth(bytes, new int[0], new WriteStyle[] {WriteStyle.ARRAY});
    for (WriteStyle first : WriteStyle.values()) {
      for (WriteStyle second : WriteStyle.values()) {
        assertThat(encodeBoth(bytes, new int[0], new WriteStyle[] {first})).isEqualTo(whole);
        for (int cut = 0; cut <= bytes.length; cut++) {
          assertThat(encodeBoth(bytes, new int[] {cut}, new WriteStyle[] {first, second}))
              .as("cut at %d, %s then %s", cut, first, second)
              .isEqualTo(whole);
        }
      }
    }
    return whole;
  }

  private static String printable(byte[] content) {
    String text = new String(content, StandardCharsets.ISO_8859_1);
    if (text.length() > 80) {
      text = text.substring(0, 80) + "... (" + content.length + " octets)";
    }
    return text.replace("\r", "<CR>").replace("\n", "<LF>");
  }

  @ParameterizedTest
  @ValueSource(ints = {4096, 1048576})
  void benchmarkMessageEncodesIdenticallyAndStuffsEveryDotLine(int size) throws IOException {
    byte[] content = DotStuffingBenchmark.message(size);
    String text = new String(content, StandardCharsets.US_ASCII);
    long dotLines = text.lines().filter(line -> line.startsWith(".")).count();

    ByteArrayOutputStream afterWire = new ByteArrayOutputStream();
    Encoder after = bulk(afterWire);
    ByteArrayOutputStream beforeWire = new ByteArrayOutputStream();
    Encoder before = octetByOctet(beforeWire);
    for (ByteBuffer chunk : DotStuffingBenchmark.spooledChunks(content)) {
      after.write(chunk.duplicate());
      before.write(chunk.duplicate());
    }
    after.finish();
    before.finish();

    assertThat(content.length).isLessThanOrEqualTo(size).isGreaterThan(size - 78);
    assertThat(text).endsWith("\r\n");
    assertThat(dotLines).isGreaterThan(0);
    assertThat(afterWire.toByteArray()).isEqualTo(beforeWire.toByteArray());
    assertThat(afterWire.toString(StandardCharsets.US_ASCII))
        .isEqualTo(text.replace("\r\n.", "\r\n..") + ".\r\n");
  }

  @ParameterizedTest
  @ValueSource(ints = {4096, 1048576})
  void benchmarkMethodsWriteTheSameNumberOfOctets(int size) throws IOException {
    DotStuffingBenchmark benchmark = new DotStuffingBenchmark();
    benchmark.size = size;
    benchmark.render();
    byte[] content = DotStuffingBenchmark.message(size);
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    Encoder reference = octetByOctet(wire);
    reference.write(content, 0, content.length);
    reference.finish();

    // Twice each: the chunk views are rewound per operation, so a second run sees the whole message.
    for (int run = 0; run < 2; run++) {
      assertThat(benchmark.bulk()).isEqualTo(wire.size());
      assertThat(benchmark.octetByOctet()).isEqualTo(wire.size());
    }
  }

  @Test
  void leadingDotOnTheFirstLine() throws IOException {
    assertThat(encodeEveryWay(".first\r\nsecond\r\n")).isEqualTo("..first\r\nsecond\r\n.\r\n");
    assertThat(encodeEveryWay(".\r\n")).isEqualTo("..\r\n.\r\n");
  }

  @Test
  void dotAfterCrlfWhereverTheWritesSplit() throws IOException {
    assertThat(encodeEveryWay("ab\r\n.cd\r\n..\r\nef.\r\n"))
        .isEqualTo("ab\r\n..cd\r\n...\r\nef.\r\n.\r\n");
  }

  @Test
  void bareLineFeedsBecomeCrlfAndTheirDotsAreStuffed() throws IOException {
    assertThat(encodeEveryWay("x\n.\nMAIL FROM:<a@example.test>\r\n\n"))
        .isEqualTo("x\r\n..\r\nMAIL FROM:<a@example.test>\r\n\r\n.\r\n");
  }

  @Test
  void bareCarriageReturnsBecomeCrlf() throws IOException {
    assertThat(encodeEveryWay("a\rb\r\r\n.c\r.\r"))
        .isEqualTo("a\r\nb\r\n\r\n..c\r\n..\r\n.\r\n");
  }

  @Test
  void contentNotEndingInCrlfIsCompleted() throws IOException {
    assertThat(encodeEveryWay("abc")).isEqualTo("abc\r\n.\r\n");
    assertThat(encodeEveryWay("abc\r")).isEqualTo("abc\r\n.\r\n");
    assertThat(encodeEveryWay("abc\r\n.")).isEqualTo("abc\r\n..\r\n.\r\n");
    assertThat(encodeEveryWay("")).isEqualTo(".\r\n");
  }

  @Test
  void eightBitOctetsPassUnchanged() throws IOException {
    assertThat(encodeEveryWay("caf\u00e9\r\n.\u00e9\r\n"))
        .isEqualTo("caf\u00e9\r\n..\u00e9\r\n.\r\n");
  }

  @Test
  void dotLinesAroundTheSliceBoundary() throws IOException {
    // Both classes work in 4096-octet slices somewhere (the old one always, the new one for
    // read-only buffers): put a CRLF-dot at every offset across that boundary.
    for (int at = 4090; at <= 4100; at++) {
      byte[] content = ("x".repeat(at) + "\r\n.y\r\nz").getBytes(StandardCharsets.US_ASCII);
      for (WriteStyle style : WriteStyle.values()) {
        String wire = encodeBoth(content, new int[0], new WriteStyle[] {style});
        assertThat(wire).isEqualTo("x".repeat(at) + "\r\n..y\r\nz\r\n.\r\n");
      }
      String twoWrites =
          encodeBoth(
              content,
              new int[] {4096},
              new WriteStyle[] {WriteStyle.READ_ONLY_BUFFER, WriteStyle.ARRAY});
      assertThat(twoWrites).isEqualTo("x".repeat(at) + "\r\n..y\r\nz\r\n.\r\n");
    }
  }

  @Test
  void randomContentAndWritePatternsEncodeIdentically() throws IOException {
    // Content dense in the octets that leave the bulk path, written in random pieces and styles.
    byte[] alphabet = {'a', 'b', '.', '.', '\r', '\r', '\n', '\n', (byte) 0xE9};
    Random random = new Random(20261126L);
    for (int trial = 0; trial < 3000; trial++) {
      byte[] content = new byte[random.nextInt(200)];
      for (int i = 0; i < content.length; i++) {
        content[i] = alphabet[random.nextInt(alphabet.length)];
      }
      int[] cuts = random.ints(random.nextInt(5), 0, content.length + 1).sorted().toArray();
      WriteStyle[] styles = new WriteStyle[cuts.length + 1];
      for (int i = 0; i < styles.length; i++) {
        styles[i] = WriteStyle.values()[random.nextInt(WriteStyle.values().length)];
      }
      encodeBoth(content, cuts, styles);
    }
  }
}
