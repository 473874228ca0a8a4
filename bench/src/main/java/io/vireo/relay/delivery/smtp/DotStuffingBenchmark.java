package io.vireo.relay.delivery.smtp;

import io.vireo.queue.MessageContent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Measures {@link DotStuffingOutputStream}, which every octet of every delivered message passes
 * through: a message (header fields, then 76-octet CRLF lines as MIME encoders write them, every
 * tenth starting with a dot) is written the way {@code SmtpClientConnection.streamContent} wrote
 * it until commit a441606, one read-only view per spooled chunk through {@code write(ByteBuffer)}
 * (the slower of the class's two entry points), then {@code finish()},
 * into a sink that only counts. {@link #bulk} is the relay's class; {@link #octetByOctet} is {@link
 * OctetByOctetDotStuffing}, the class before commit f089cde, for the before figure. Results go to
 * {@code bench/README.md}.
 *
 * <p>It lives in the relay's package (a split package, fine on the class path) so that the relay's
 * class can stay package-private.
 *
 * <p>Run: {@code bin/bench jmh DotStuffingBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DotStuffingBenchmark {
  @Param({"4096", "1048576"})
  int size;

  private ByteBuffer[] chunks;
  private final CountingSink sink = new CountingSink();

  @Setup
  public void render() {
    chunks = spooledChunks(message(size));
  }

  @Benchmark
  public long bulk() throws IOException {
    long before = sink.count;
    DotStuffingOutputStream data = new DotStuffingOutputStream(sink);
    for (ByteBuffer chunk : chunks) {
      data.write(chunk.clear());
    }
    data.finish();
    return sink.count - before;
  }

  @Benchmark
  public long octetByOctet() throws IOException {
    long before = sink.count;
    OctetByOctetDotStuffing data = new OctetByOctetDotStuffing(sink);
    for (ByteBuffer chunk : chunks) {
      data.write(chunk.clear());
    }
    data.finish();
    return sink.count - before;
  }

  /**
   * A message of at most {@code size} octets in whole CRLF lines: header fields, a blank line, then
   * 76-octet body lines of which every tenth starts with a dot. Spooled content is not dot-stuffed,
   * so those dots are what the encoder has to double.
   */
  static byte[] message(int size) {
    String header =
        """
        Received: from app1.example.test (app1.example.test [127.0.0.1])\r
        \tby relay.example.test (Vireo) with ESMTP id 01JDX3F6Q9; Thu, 26 Nov 2026 20:00:00 +0000\r
        From: Billing <billing@example.test>\r
        To: customer@example.net\r
        Subject: Your November statement\r
        Date: Thu, 26 Nov 2026 20:00:00 +0000\r
        Message-ID: <statement-42@example.test>\r
        MIME-Version: 1.0\r
        Content-Type: text/plain; charset=utf-8\r
        Content-Transfer-Encoding: quoted-printable\r
        \r
        """;
    String line = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcd";
    String dotLine = "." + line.substring(1);
    ByteArrayOutputStream out = new ByteArrayOutputStream(size);
    out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
    for (int n = 0; out.size() + line.length() + 2 <= size; n++) {
      out.writeBytes(((n % 10 == 9 ? dotLine : line) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }
    return out.toByteArray();
  }

  /**
   * The chunks delivery gets back from the spool: content up to {@link MessageContent#MAX_CHUNK} is
   * stored inline and read back as one array, longer content as {@code MAX_CHUNK} pieces; {@link
   * MessageContent#chunks()} hands out read-only views, so the encoder cannot reach their arrays.
   */
  static ByteBuffer[] spooledChunks(byte[] content) {
    List<byte[]> pieces = new ArrayList<>();
    for (int start = 0; start < content.length; start += MessageContent.MAX_CHUNK) {
      pieces.add(
          Arrays.copyOfRange(
              content, start, Math.min(content.length, start + MessageContent.MAX_CHUNK)));
    }
    return MessageContent.ofChunks(pieces).chunks().toArray(ByteBuffer[]::new);
  }

  /**
   * Stands in for the transport's wire stream: counts what it is given and drops it, so the figure
   * is the encoder's own cost.
   */
  static final class CountingSink extends OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
      count += length;
    }
  }
}
