package io.vireo.bench;

import io.vireo.relay.protocol.ContentOutcome;
import io.vireo.relay.protocol.DataReader;
import io.vireo.relay.protocol.SmtpInput;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Measures {@link DataReader}, which every octet of every message passes through on the accept path:
 * a dot-stuffed DATA section with 76-octet lines (as MIME encoders write them, some lines starting
 * with a dot) read from a socket-sized buffer, unstuffed, checked for bare CR/LF and line length, and
 * handed to a sink that only counts. Results go to {@code bench/README.md}.
 *
 * <p>Run: {@code bin/bench jmh DataReaderBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DataReaderBenchmark {
  @Param({"4096", "1048576"})
  int size;

  private byte[] wire;

  @Setup
  public void render() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(size + size / 32);
    String line = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcd";
    for (int written = 0, n = 0; written < size; n++) {
      String text = (n % 10 == 9 ? ".." : "") + line + "\r\n";
      out.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
      written += text.length();
    }
    out.writeBytes(".\r\n".getBytes(StandardCharsets.US_ASCII));
    wire = out.toByteArray();
  }

  @Benchmark
  public ContentOutcome read(Blackhole blackhole) throws IOException {
    SmtpInput input = new SmtpInput(new ByteArrayInputStream(wire), 8192, () -> {});
    DataReader reader = new DataReader((bytes, offset, length) -> blackhole.consume(length), 64L << 20);
    return reader.read(input);
  }
}
