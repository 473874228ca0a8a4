package io.vireo.bench;

import io.vireo.queue.BodyType;
import io.vireo.queue.Durability;
import io.vireo.queue.Envelope;
import io.vireo.queue.MessageContent;
import io.vireo.queue.MessageId;
import io.vireo.queue.MessageIdGenerator;
import io.vireo.queue.Recipient;
import io.vireo.queue.Ret;
import io.vireo.queue.SpoolOptions;
import io.vireo.queue.StoredMessage;
import io.vireo.queue.chronicle.ChronicleSpool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of {@code Spool.read} for a 4 KB message that is waiting for delivery: what every delivery
 * attempt does before it connects. {@code contentCacheBytes = 0} reads the content back from the
 * journal (a tailer, an index lookup, a CRC-32C pass: how delivery read every message before the
 * content cache); the default 64 MiB serves messages stored moments ago from memory. 2,000 messages
 * are stored first and read in turn.
 *
 * <p>Run: {@code bin/bench jmh SpoolReadBenchmark}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SpoolReadBenchmark {
  private static final int MESSAGES = 2_000;
  private static final int MESSAGE_BYTES = 4 * 1024;

  @Param({"0", "67108864"})
  public long contentCacheBytes;

  private Path directory;
  private ChronicleSpool spool;
  private MessageId[] ids;
  private int next;

  @Setup(Level.Trial)
  public void open() throws IOException {
    directory = Files.createTempDirectory("vireo-spool-read-bench");
    spool =
        ChronicleSpool.open(
            SpoolOptions.of(directory, Durability.NONE).withContentCacheBytes(contentCacheBytes));
    MessageIdGenerator generator = new MessageIdGenerator(Clock.systemUTC());
    SplittableRandom random = new SplittableRandom(4096);
    ids = new MessageId[MESSAGES];
    for (int i = 0; i < MESSAGES; i++) {
      byte[] bytes = new byte[MESSAGE_BYTES];
      for (int j = 0; j < bytes.length; j++) {
        bytes[j] = (byte) (32 + random.nextInt(95)); // printable ASCII, like a text message
      }
      ids[i] = generator.next();
      spool.store(envelope(ids[i]), MessageContent.of(bytes));
    }
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    spool.close();
    TempTrees.delete(directory);
  }

  @Benchmark
  public StoredMessage read() {
    MessageId id = ids[next];
    next = next + 1 == MESSAGES ? 0 : next + 1;
    return spool.read(id).orElseThrow();
  }

  private static Envelope envelope(MessageId id) {
    return new Envelope(
        id,
        "sender@example.org",
        List.of(Recipient.of("user@example.com")),
        BodyType.EIGHT_BIT_MIME,
        false,
        Ret.UNSPECIFIED,
        null,
        Instant.now(),
        "127.0.0.1",
        "client.example.org");
  }
}
