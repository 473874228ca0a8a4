package io.vireo.bench;

import io.vireo.queue.BodyType;
import io.vireo.queue.Durability;
import io.vireo.queue.Envelope;
import io.vireo.queue.MessageContent;
import io.vireo.queue.MessageIdGenerator;
import io.vireo.queue.Recipient;
import io.vireo.queue.Ret;
import io.vireo.queue.SpoolOptions;
import io.vireo.queue.chronicle.ChronicleSpool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of {@code Spool.store} for a 4 KB message with one recipient: what the SMTP server
 * does between the end of DATA and its 250 reply. Models one connection ({@code store1}) and 32
 * connections storing at once ({@code store32}), whose writes the spool group-commits, under each
 * {@link Durability}. The spool lives in a fresh directory under {@code java.io.tmpdir} (set {@code
 * -Djava.io.tmpdir} to measure another disk); retention runs with its default period.
 *
 * <p>Run (JDK 25, from the repository root, after {@code ./mvnw -q -B -o -pl bench -am package
 * -DskipTests}):
 *
 * <pre>
 * /usr/lib/jvm/temurin-25-jdk-amd64/bin/java @bin/jvm.flags \
 *   -Dlogback.configurationFile=queue/src/test/resources/logback-test.xml \
 *   -cp 'bench/target/vireo-bench.jar:bench/target/lib/*' org.openjdk.jmh.Main SpoolAppendBenchmark \
 *   -f 1 -wi 2 -w 5s -i 3 -r 10s
 * </pre>
 *
 * JMH forks inherit the launching JVM's flags, which Chronicle needs on JDK 25.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
public class SpoolAppendBenchmark {
  private static final int MESSAGE_BYTES = 4 * 1024;

  @Param({"GROUP", "ALWAYS", "NONE"})
  public Durability durability;

  private Path directory;
  private ChronicleSpool spool;
  private MessageIdGenerator ids;
  private MessageContent content;
  private List<Recipient> recipients;

  @Setup(Level.Trial)
  public void open() throws IOException {
    directory = Files.createTempDirectory("vireo-spool-bench");
    spool = ChronicleSpool.open(SpoolOptions.of(directory, durability));
    ids = new MessageIdGenerator(Clock.systemUTC());
    byte[] bytes = new byte[MESSAGE_BYTES];
    SplittableRandom random = new SplittableRandom(4096);
    for (int i = 0; i < bytes.length; i++) {
      // Printable ASCII, like a typical text message.
      bytes[i] = (byte) (32 + random.nextInt(95));
    }
    content = MessageContent.of(bytes);
    recipients = List.of(Recipient.of("user@example.com"));
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    spool.close();
    TempTrees.delete(directory);
  }

  @Benchmark
  @Threads(1)
  public void store1() {
    store();
  }

  @Benchmark
  @Threads(32)
  public void store32() {
    store();
  }

  private void store() {
    Envelope envelope =
        new Envelope(
            ids.next(),
            "sender@example.org",
            recipients,
            BodyType.EIGHT_BIT_MIME,
            false,
            Ret.UNSPECIFIED,
            null,
            java.time.Instant.now(),
            "127.0.0.1",
            "client.example.org");
    spool.store(envelope, content);
  }
}
